# Target-half helper: a whole system from a spec (included by capdl-loader/CMakeLists.txt).
#
# sigil_system(NAME (SPEC file.yaml | GENERATE n | SCENARIO file.yaml | SPEC_COMMAND cmd...)
#              [SPEC_DEPENDS file...] [PROGRAMS prog...] [RELEASE] [DEFINES d...]
#              [LOADER library] [SEARCH dir...] [SPECC_ARGS arg...])
#   Compiles the spec with the host's sigil-specc (SIGIL_SPECC, passed in by the top-level
#   build) into ${CMAKE_BINARY_DIR}/systems/NAME.bin, embeds the blob 4 KiB aligned in a loader
#   program (capdl-loader/loader/main.c + an .incbin stub) and makes the bootable image
#   ${CMAKE_BINARY_DIR}/images/NAME.elf (`./sigil run specs/NAME.yaml` boots it; declare its
#   QEMU test with sigil_qemu_test in the host half).
#   - The spec is compiled where it is with `-L ${CMAKE_BINARY_DIR}/programs`, so files it names
#     are found next to it and `elf:` names such as `hello.elf` find the programs built by
#     sigil_program(); list them in PROGRAMS.
#   - GENERATE n: the spec is tests/loader/gen_system.py's system of about n objects (list
#     `hello` in PROGRAMS: its last component runs it).
#   - SCENARIO file: the spec is the scenario's system with the injector added
#     (tools/scenario/derive.py; tests/scenarios/CMakeLists.txt declares these).
#   - SPEC_COMMAND cmd...: the spec is what `cmd... -o SPEC` writes (campaigns); SPEC_DEPENDS
#     lists the files it reads.
#   - RELEASE: release kernel and loader without debug assertions (benchmarks).
#   - DEFINES: extra compile definitions for the loader's main.c (benchmark names).
#   - LOADER: another build of the loader library (tests: sigil_loader_sabotage).
#   - SEARCH: directories the compiler searches for `elf:` names before the programs of
#     sigil_program() (a user's programs: cmake/SigilUserPrograms.cmake).
#   - SPECC_ARGS: more options for sigil-specc (tests: --unchecked-irqs).
if(NOT SIGIL_SPECC)
  set(SIGIL_SPECC ${CMAKE_BINARY_DIR}/../bin/sigil-specc)
endif()

function(sigil_system name)
  cmake_parse_arguments(S "RELEASE" "SPEC;GENERATE;LOADER;SCENARIO"
    "PROGRAMS;DEFINES;SEARCH;SPECC_ARGS;SPEC_COMMAND;SPEC_DEPENDS" ${ARGN})
  # What the system is made of, for systems derived from it (scenarios with injections).
  set_property(GLOBAL PROPERTY SIGIL_SYSTEM_PROGRAMS_${name} ${S_PROGRAMS})
  set(programs_dir ${CMAKE_BINARY_DIR}/programs)
  set(blob ${CMAKE_BINARY_DIR}/systems/${name}.bin)
  set(deps ${S_PROGRAMS})
  foreach(p IN LISTS S_PROGRAMS)
    list(APPEND deps $<TARGET_FILE:${p}>)
  endforeach()
  if(S_SPEC_COMMAND)
    set(spec ${CMAKE_BINARY_DIR}/systems/${name}.spec.yaml)
    set(make_spec ${S_SPEC_COMMAND} -o ${spec})
    list(APPEND deps ${S_SPEC_DEPENDS})
  elseif(S_SCENARIO)
    set(spec ${CMAKE_BINARY_DIR}/systems/${name}.spec.yaml)
    set(make_spec ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/sigil_scenario.py
      --derive ${S_SCENARIO} -o ${spec})
    file(GLOB scenario_tools CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tools/scenario/*.py)
    list(APPEND deps ${S_SCENARIO} ${scenario_tools} ${CMAKE_SOURCE_DIR}/tools/sigil_scenario.py
      ${CMAKE_SOURCE_DIR}/resource-manager/protocol.yaml)
  elseif(S_GENERATE)
    set(gen ${CMAKE_SOURCE_DIR}/tests/loader/gen_system.py)
    set(spec ${CMAKE_BINARY_DIR}/systems/${name}.spec.yaml)
    set(make_spec ${Python3_EXECUTABLE} ${gen} ${S_GENERATE} -o ${spec})
    list(APPEND deps ${gen} ${CMAKE_SOURCE_DIR}/tests/spec/gen_spec.py)
  else()
    get_filename_component(spec ${S_SPEC} ABSOLUTE)
    set(make_spec ${CMAKE_COMMAND} -E true)
    list(APPEND deps ${spec})
  endif()
  set(search)
  foreach(d IN LISTS S_SEARCH)
    list(APPEND search -L ${d})
  endforeach()
  add_custom_command(OUTPUT ${blob}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${programs_dir} ${CMAKE_BINARY_DIR}/systems
    COMMAND ${make_spec}
    COMMAND ${SIGIL_SPECC} ${search} -L ${programs_dir} ${S_SPECC_ARGS} -o ${blob} ${spec}
    DEPENDS ${deps} ${SIGIL_SPECC}
    COMMENT "Compiling the spec of system ${name}")
  add_custom_target(${name}-spec DEPENDS ${blob})

  set(stub ${CMAKE_BINARY_DIR}/systems/${name}-spec.S)
  file(WRITE ${stub}.in
    "/* Generated: the binary spec of system ${name}, 4 KiB aligned so that its pages can be\n"
    " * donated to programs. */\n"
    "    .section .rodata.sigil_spec, \"a\"\n"
    "    .balign 4096\n"
    "    .global sigil_spec_blob\n"
    "sigil_spec_blob:\n"
    "    .incbin \"${blob}\"\n"
    "    .global sigil_spec_blob_end\n"
    "sigil_spec_blob_end:\n")
  configure_file(${stub}.in ${stub} COPYONLY)
  set_source_files_properties(${stub} PROPERTIES OBJECT_DEPENDS ${blob})

  set(loader_lib sigil_loader)
  set(image_args)
  if(S_RELEASE)
    set(loader_lib sigil_loader_release)
    set(image_args RELEASE)
  endif()
  if(S_LOADER)
    set(loader_lib ${S_LOADER})
  endif()
  sigil_program(${name}_loader SOURCES ${stub} ${CMAKE_SOURCE_DIR}/capdl-loader/loader/main.c
    LIBS ${loader_lib})
  target_compile_definitions(${name}_loader PRIVATE ${S_DEFINES})
  add_dependencies(${name}_loader ${name}-spec)
  sigil_image(${name} ROOT ${name}_loader ${image_args})
  # Each program of the system at an address of its own: gdb's breakpoints land where meant.
  foreach(p IN LISTS S_PROGRAMS ITEMS ${name}_loader)
    sigil_program_own_base(${p})
  endforeach()
  # For tools/sigil_gdb.py: the components' programs come from the spec.
  set(search_json "")
  foreach(d IN LISTS S_SEARCH)
    string(APPEND search_json "\"${d}\", ")
  endforeach()
  string(REGEX REPLACE ", $" "" search_json "${search_json}")
  file(WRITE ${CMAKE_BINARY_DIR}/images/${name}.gdbinfo
    "{\"root\": \"${programs_dir}/${name}_loader.elf\", \"spec\": \"${spec}\", "
    "\"search\": [${search_json}], \"programs\": \"${programs_dir}\"}\n")
endfunction()

# sigil_capdl_tool(): in the caller's scope, `capdl` is the command line of `./sigil spec` (the
# Python capdl package with the host's compiler) and `tools` its sources, for DEPENDS.
macro(sigil_capdl_tool)
  file(GLOB tools CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tools/capdl/*.py
    ${CMAKE_SOURCE_DIR}/tools/capdl/cdl/*.py)
  set(capdl ${CMAKE_COMMAND} -E env PYTHONPATH=${CMAKE_SOURCE_DIR}/tools SIGIL_SPECC=${SIGIL_SPECC}
    ${Python3_EXECUTABLE} -m capdl)
endmacro()

# sigil_roundtrip_system(NAME SPEC file.yaml PROGRAMS prog...)
#   The system of SPEC after a round trip through seL4's capDL text: `./sigil spec export` writes
#   systems/NAME.cdl (and systems/NAME.data, the bytes of its data fills), `./sigil spec import`
#   reads it back into systems/NAME.yaml, and sigil_system() builds the image NAME from that
#   (docs/spec-tools.md, "Round trips"). Its QEMU test expects what the original's does.
function(sigil_roundtrip_system name)
  cmake_parse_arguments(R "" "SPEC" "PROGRAMS" ${ARGN})
  set(programs_dir ${CMAKE_BINARY_DIR}/programs)
  set(dir ${CMAKE_BINARY_DIR}/systems)
  get_filename_component(spec ${R_SPEC} ABSOLUTE)
  sigil_capdl_tool()
  set(deps)
  foreach(p IN LISTS R_PROGRAMS)
    list(APPEND deps $<TARGET_FILE:${p}>)
  endforeach()
  add_custom_command(OUTPUT ${dir}/${name}.yaml
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${capdl} export --strict -L ${programs_dir} -o ${dir}/${name}.cdl ${spec}
    COMMAND ${capdl} import --strict -L ${programs_dir} -o ${dir}/${name}.yaml ${dir}/${name}.cdl
    DEPENDS ${spec} ${tools} ${deps} ${SIGIL_SPECC}
    COMMENT "Exporting system ${name} to capDL and importing it back")
  sigil_system(${name} SPEC ${dir}/${name}.yaml PROGRAMS ${R_PROGRAMS})
endfunction()

# sigil_cdl_system(NAME CDL file.cdl FILES file...)
#   A system written in seL4's capDL text: `./sigil spec import --strict` reads CDL into
#   systems/NAME.yaml (a warning fails the build), its FileData fills naming FILES in the
#   programs directory (`--file-dir`), and sigil_system() builds the image NAME from that.
function(sigil_cdl_system name)
  cmake_parse_arguments(C "" "CDL" "FILES" ${ARGN})
  set(programs_dir ${CMAKE_BINARY_DIR}/programs)
  set(dir ${CMAKE_BINARY_DIR}/systems)
  get_filename_component(cdl ${C_CDL} ABSOLUTE)
  sigil_capdl_tool()
  add_custom_command(OUTPUT ${dir}/${name}.yaml
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${capdl} import --strict --file-dir ${programs_dir} -o ${dir}/${name}.yaml ${cdl}
    DEPENDS ${cdl} ${tools} ${C_FILES} ${SIGIL_SPECC}
    COMMENT "Importing the capDL system ${name}")
  sigil_system(${name} SPEC ${dir}/${name}.yaml)
endfunction()
