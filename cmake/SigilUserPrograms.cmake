# Target-half helper: the programs of a user's system, found from its spec (docs/libsigil.md).
#
# sigil_user_programs(SPEC file.yaml OUT_PROGRAMS var OUT_DIR var)
#   A user keeps a spec and its programs' sources in a folder of their own, outside Sigil's
#   tree. Each `elf: NAME.elf` in the spec is a program of that folder when the folder has
#     NAME/      a directory: every *.c and *.S in it, or
#     NAME.c     a single source file;
#   other names are left to the spec compiler's search (a prebuilt ELF beside the spec, or a
#   program of apps/). Each program is built like sigil_program() (libsigil and picolibc) as
#   target `user-NAME` into ${CMAKE_BINARY_DIR}/systems/user-programs/ID/NAME.elf (ID: a hash of
#   the folder), with the folder's `include/` (if any) and the program's own directory on the
#   include path.
#   OUT_PROGRAMS receives the target names, OUT_DIR the directory to pass to the compiler
#   first (sigil_system's SEARCH), so a user's `hello` wins over Sigil's own.
function(sigil_user_programs)
  cmake_parse_arguments(U "" "SPEC;OUT_PROGRAMS;OUT_DIR" "" ${ARGN})
  get_filename_component(spec ${U_SPEC} ABSOLUTE)
  get_filename_component(dir ${spec} DIRECTORY)
  # One directory per user folder, so a program of another folder is never picked up.
  string(MD5 folder_id ${dir})
  string(SUBSTRING ${folder_id} 0 12 folder_id)
  set(out_dir ${CMAKE_BINARY_DIR}/systems/user-programs/${folder_id})
  # Which folder this is, for the spec tools (tools/capdl/compiler.py, default_search).
  file(WRITE ${out_dir}/FOLDER "${dir}\n")
  # The spec names its programs; re-read when it changes.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${spec})
  file(STRINGS ${spec} lines)
  set(names)
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "#.*" "" line "${line}")
    string(REGEX MATCHALL "elf:[ \t]*[\"']?[A-Za-z0-9_.+-]+\\.elf" found "${line}")
    foreach(m IN LISTS found)
      string(REGEX REPLACE "^elf:[ \t]*[\"']?([A-Za-z0-9_.+-]+)\\.elf$" "\\1" name "${m}")
      list(APPEND names ${name})
    endforeach()
  endforeach()
  list(REMOVE_DUPLICATES names)
  set(targets)
  foreach(name IN LISTS names)
    if(IS_DIRECTORY ${dir}/${name})
      file(GLOB sources CONFIGURE_DEPENDS ${dir}/${name}/*.c ${dir}/${name}/*.S)
      set(own ${dir}/${name})
    elseif(EXISTS ${dir}/${name}.c)
      set(sources ${dir}/${name}.c)
      set(own ${dir})
    else()
      continue()
    endif()
    if(NOT sources)
      message(FATAL_ERROR "${spec}: program '${name}': the directory ${dir}/${name} has no .c or .S file")
    endif()
    sigil_program(user-${name} SOURCES ${sources} LIBC)
    target_include_directories(user-${name} PRIVATE ${own})
    if(IS_DIRECTORY ${dir}/include)
      target_include_directories(user-${name} PRIVATE ${dir}/include)
    endif()
    set_target_properties(user-${name} PROPERTIES OUTPUT_NAME ${name}
      RUNTIME_OUTPUT_DIRECTORY ${out_dir})
    list(APPEND targets user-${name})
  endforeach()
  set(${U_OUT_PROGRAMS} ${targets} PARENT_SCOPE)
  set(${U_OUT_DIR} ${out_dir} PARENT_SCOPE)
endfunction()
