# Host-side test helpers. Every test carries a ctest label: host, qemu, python, fuzz.

# Sanitizers for natively built kernel code and tools under test.
set(SIGIL_SANITIZE -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)

# sigil_host_test(NAME SOURCES a.c b.c [LIBS lib...] [DEFINES X=1...])
# Builds a native test program with ASan+UBSan and registers it with label "host".
function(sigil_host_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;DEFINES;INCLUDES" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_compile_options(${name} PRIVATE ${SIGIL_SANITIZE} -g)
  target_link_options(${name} PRIVATE ${SIGIL_SANITIZE})
  target_compile_definitions(${name} PRIVATE SIGIL_HOST=1 ${T_DEFINES})
  target_include_directories(${name} PRIVATE ${T_INCLUDES})
  target_link_libraries(${name} PRIVATE sigil_abi ${T_LIBS})
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS host TIMEOUT 300)
endfunction()

# sigil_python_test(NAME DIR): runs pytest on DIR with label "python".
function(sigil_python_test name dir)
  add_test(NAME ${name}
    COMMAND ${Python3_EXECUTABLE} -m pytest -q -p no:cacheprovider ${dir}
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES LABELS python TIMEOUT 600
    ENVIRONMENT "PYTHONPATH=${CMAKE_SOURCE_DIR}/tools;SIGIL_BUILD_DIR=${CMAKE_BINARY_DIR}")
endfunction()
