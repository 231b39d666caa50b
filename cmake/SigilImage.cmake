# Target-half helpers: user programs and bootable images.
#
# sigil_program(NAME SOURCES ... [LIBS ...] [LIBC])
#   A user program (EL0), linked with libs/sigil's start-up code at 4 MiB, or, once a system
#   uses it as a component (sigil_system), at an address of its own (sigil_program_own_base
#   below): ${CMAKE_BINARY_DIR}/programs/NAME.elf. Freestanding (libsigil and the kernel's
#   string functions: the loader, the resource manager, kernel tests, benchmarks) unless LIBC:
#   then linked with the C library, picolibc (stdio on the console, string.h, stdlib.h, malloc
#   over the spec's heap region; libs/sigil/src/libc.c), as components are (apps/, a user's
#   folder: docs/libsigil.md).
# sigil_image(NAME ROOT PROGRAM [RELEASE] [EXTRA_SOURCES ...])
#   A bootable image: the kernel carrying PROGRAM as its root task:
#   ${CMAKE_BINARY_DIR}/images/NAME.elf. EXTRA_SOURCES are linked into this image's kernel only
#   (test hooks). RELEASE: the kernel without debug checks (benchmarks).
set(SIGIL_USER_LD ${CMAKE_SOURCE_DIR}/libs/sigil/user.ld)

# sigil_program_own_base(NAME): link program NAME at an address of its own. sigil_system does
# this for its components and its loader, so that in gdb a breakpoint on one program's code
# (`break main`) stops in that program only: QEMU's gdb stub matches breakpoints by virtual
# address in whatever address space runs. The address is a 16 MiB slot of [512 GiB, 528 GiB)
# chosen by the MD5 of the name: it depends on nothing but the name (no figure or test moves when
# another program is added), and it is far above every address specs map at fixed places
# (docs/getting-started.md, "Debugging with gdb"). A program that is only ever a root task of its
# own image keeps 4 MiB: nothing else runs beside it.
function(sigil_program_own_base name)
  get_property(done TARGET ${name} PROPERTY SIGIL_OWN_BASE)
  if(done)
    return()
  endif()
  string(MD5 hash "${name}")
  string(SUBSTRING "${hash}" 0 3 slot_hex)
  math(EXPR base "0x8000000000 + (0x${slot_hex} % 1024) * 0x1000000" OUTPUT_FORMAT HEXADECIMAL)
  target_link_options(${name} PRIVATE -Wl,--defsym=SIGIL_PROGRAM_BASE=${base})
  set_property(TARGET ${name} PROPERTY SIGIL_OWN_BASE ${base})
endfunction()

function(sigil_program name)
  cmake_parse_arguments(P "LIBC" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${P_SOURCES})
  if(P_LIBC)
    target_link_libraries(${name} PRIVATE ${P_LIBS} sigil_libc)
  else()
    target_link_libraries(${name} PRIVATE ${P_LIBS} sigil_user sigil_kstring)
  endif()
  target_compile_options(${name} PRIVATE -O2 -g)
  target_link_options(${name} PRIVATE -T${SIGIL_USER_LD})
  set_target_properties(${name} PROPERTIES SUFFIX .elf LINK_DEPENDS ${SIGIL_USER_LD}
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/programs)
endfunction()

function(sigil_image name)
  cmake_parse_arguments(I "RELEASE" "ROOT" "EXTRA_SOURCES" ${ARGN})
  set(kernel_objects sigil_kernel)
  if(I_RELEASE)
    set(kernel_objects sigil_kernel_release)
  endif()
  set(root_elf ${CMAKE_BINARY_DIR}/programs/${I_ROOT}.elf)
  # The image carries the root task without its debug information, which names the folders of
  # the checkout and the build: with it, the kernel image's size, and so every boot figure,
  # would depend on where the tree was checked out. gdb reads the symbols from root_elf.
  set(root_carried ${CMAKE_BINARY_DIR}/carried/${name}.elf)
  add_custom_command(OUTPUT ${root_carried}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/carried
    COMMAND ${CMAKE_OBJCOPY} --strip-debug ${root_elf} ${root_carried}
    DEPENDS ${I_ROOT} ${root_elf}
    COMMENT "Stripping the root task of image ${name}")
  set(stub ${CMAKE_BINARY_DIR}/images/${name}-rootimage.S)
  file(WRITE ${stub}.in
    "/* Generated: the root task carried by image ${name}. */\n"
    "    .section .rootimage, \"a\"\n"
    "    .balign 4096\n"
    "    .global _rootimage_start\n"
    "_rootimage_start:\n"
    "    .incbin \"${root_carried}\"\n"
    "    .global _rootimage_end\n"
    "_rootimage_end:\n")
  configure_file(${stub}.in ${stub} COPYONLY)
  set_source_files_properties(${stub} PROPERTIES OBJECT_DEPENDS ${root_carried})
  add_executable(image-${name} ${stub} $<TARGET_OBJECTS:${kernel_objects}> ${I_EXTRA_SOURCES})
  target_link_libraries(image-${name} PRIVATE sigil_abi)
  target_include_directories(image-${name} PRIVATE ${CMAKE_SOURCE_DIR}/kernel/src
    ${CMAKE_SOURCE_DIR}/kernel/src/arch/aarch64/include)
  target_compile_options(image-${name} PRIVATE -mgeneral-regs-only -O2 -g)
  target_link_options(image-${name} PRIVATE -T${SIGIL_KERNEL_LD})
  set_target_properties(image-${name} PROPERTIES OUTPUT_NAME ${name} SUFFIX .elf
    LINK_DEPENDS ${SIGIL_KERNEL_LD} RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/images)
  add_dependencies(image-${name} ${I_ROOT})
  # For tools/sigil_gdb.py (`./sigil run --gdb`): the programs whose symbols debug this image.
  file(WRITE ${CMAKE_BINARY_DIR}/images/${name}.gdbinfo "{\"root\": \"${root_elf}\"}\n")
endfunction()
