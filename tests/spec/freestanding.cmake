# spec_common_freestanding: the code the loader shares with the compiler (capdl-loader/common)
# must build for aarch64 with -ffreestanding and no C library, and leave no undefined symbols
# (no libc, no libgcc helpers). Arguments: CC, NM, SRC (list), INCLUDES (list), OUT.
execute_process(COMMAND ${CC} -print-file-name=include OUTPUT_VARIABLE gcc_include
                OUTPUT_STRIP_TRAILING_WHITESPACE)
string(REPLACE "|" ";" sources "${SRC}")
string(REPLACE "|" ";" includes "${INCLUDES}")
set(flags -std=c11 -ffreestanding -nostdinc -isystem ${gcc_include} -O2 -Wall -Wextra -Werror
          -Wstrict-prototypes -Wmissing-prototypes -Wundef -Wshadow)
foreach(dir IN LISTS includes)
  list(APPEND flags -I${dir})
endforeach()
foreach(src IN LISTS sources)
  get_filename_component(name ${src} NAME_WE)
  execute_process(COMMAND ${CC} ${flags} -c ${src} -o ${OUT}/${name}.freestanding.o
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(rc)
    message(FATAL_ERROR "${src} does not build freestanding:\n${err}")
  endif()
  execute_process(COMMAND ${NM} --undefined-only ${OUT}/${name}.freestanding.o
                  OUTPUT_VARIABLE undefined)
  if(NOT undefined STREQUAL "")
    message(FATAL_ERROR "${src} needs symbols a freestanding loader lacks:\n${undefined}")
  endif()
endforeach()
