# Generate the ABI headers from kernel/abi/sigil.yaml (the one description of the kernel ABI):
# <sigil/abi.h> for the kernel and user space, <sigil/invocations.h> for the user library.
set(SIGIL_GEN_INCLUDE ${CMAKE_BINARY_DIR}/gen/include)
set(SIGIL_ABI_YAML ${CMAKE_SOURCE_DIR}/kernel/abi/sigil.yaml)
set(SIGIL_ABIGEN ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/abigen.py ${SIGIL_ABI_YAML})
add_custom_command(
  OUTPUT ${SIGIL_GEN_INCLUDE}/sigil/abi.h ${SIGIL_GEN_INCLUDE}/sigil/invocations.h
  COMMAND ${CMAKE_COMMAND} -E make_directory ${SIGIL_GEN_INCLUDE}/sigil
  COMMAND ${SIGIL_ABIGEN} --header ${SIGIL_GEN_INCLUDE}/sigil/abi.h
          --stubs ${SIGIL_GEN_INCLUDE}/sigil/invocations.h
  DEPENDS ${SIGIL_ABI_YAML} ${CMAKE_SOURCE_DIR}/tools/abigen.py
  COMMENT "Generating sigil/abi.h and sigil/invocations.h")
# <sigil/cap_layout.h>: the kernel's cap fields by name, from kernel/abi/cap_layout.yaml (the
# generator refuses overlapping fields, so a bad layout fails the build).
set(SIGIL_CAP_LAYOUT_YAML ${CMAKE_SOURCE_DIR}/kernel/abi/cap_layout.yaml)
add_custom_command(
  OUTPUT ${SIGIL_GEN_INCLUDE}/sigil/cap_layout.h
  COMMAND ${CMAKE_COMMAND} -E make_directory ${SIGIL_GEN_INCLUDE}/sigil
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/bitfieldgen.py ${SIGIL_CAP_LAYOUT_YAML}
          --header ${SIGIL_GEN_INCLUDE}/sigil/cap_layout.h
  DEPENDS ${SIGIL_CAP_LAYOUT_YAML} ${CMAKE_SOURCE_DIR}/tools/bitfieldgen.py
  COMMENT "Generating sigil/cap_layout.h")
add_custom_target(sigil_abi_gen DEPENDS ${SIGIL_GEN_INCLUDE}/sigil/abi.h
  ${SIGIL_GEN_INCLUDE}/sigil/invocations.h ${SIGIL_GEN_INCLUDE}/sigil/cap_layout.h)
# Interface library: link it to get the ABI headers (generated and hand-written).
add_library(sigil_abi INTERFACE)
target_include_directories(sigil_abi INTERFACE ${SIGIL_GEN_INCLUDE} ${CMAKE_SOURCE_DIR}/kernel/include)
add_dependencies(sigil_abi sigil_abi_gen)
# ABI numbers the tests' console expectations need (SIGIL_FAULT_<NAME>), made when CMake
# configures, and again whenever the description or the generator changes.
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/gen)
execute_process(COMMAND ${SIGIL_ABIGEN} --cmake ${CMAKE_BINARY_DIR}/gen/sigil_abi.cmake
  RESULT_VARIABLE sigil_abigen_rc)
if(NOT sigil_abigen_rc EQUAL 0)
  message(FATAL_ERROR "tools/abigen.py could not write gen/sigil_abi.cmake")
endif()
include(${CMAKE_BINARY_DIR}/gen/sigil_abi.cmake)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${SIGIL_ABI_YAML}
  ${CMAKE_SOURCE_DIR}/tools/abigen.py)
