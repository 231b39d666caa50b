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

# sigil_loaded_line(VAR objects donated copied untypeds threads)
# Sets VAR to the loader's summary line as an exact pattern: a spec makes the same objects, pages
# and threads on every boot. `untypeds` is a number, or SOME for a system that is handed the boot
# untypeds: how many there are depends on where the kernel image ends, not on the spec.
function(sigil_loaded_line var objects donated copied untypeds threads)
  if(untypeds STREQUAL "SOME")
    set(untypeds "[1-9][0-9]*")
  endif()
  set(${var} "^loader: ${objects} objects, ${donated} pages donated, ${copied} frames copied, ${untypeds} untypeds handed over, ${threads} threads started$" PARENT_SCOPE)
endfunction()

# sigil_qemu_test(NAME IMAGE image [EXPECT regex...] [REJECT regex...] [EXPECT_FAILURE regex]
#                 [MUST_FAIL] [NO_VIRT] [FIRMWARE_OFF] [TIMEOUT seconds] [MEMORY size])
# Boots build/target/images/IMAGE.elf under tools/sigil_qemu.py (label "qemu"). The test passes
# on a clean power-off with status 0 after every EXPECT pattern appeared in order and no console
# line matched a REJECT pattern; with EXPECT_FAILURE it passes only if the system fails that
# way, with MUST_FAIL only if the system fails at all. With FIRMWARE_OFF the system ends through
# PSCI SYSTEM_OFF instead of the kernel's power-off (docs/kernel/debug.md): QEMU's own clean exit
# is the pass. A run that cannot take place (no image, no QEMU) fails the test in every mode: the
# harness judges failures itself, never ctest's WILL_FAIL, which would count it a pass.
function(sigil_qemu_test name)
  cmake_parse_arguments(Q "MUST_FAIL;NO_VIRT;FIRMWARE_OFF" "IMAGE;TIMEOUT;EXPECT_FAILURE;MEMORY"
    "EXPECT;REJECT" ${ARGN})
  if(NOT Q_TIMEOUT)
    set(Q_TIMEOUT 30)
  endif()
  set(args ${CMAKE_BINARY_DIR}/target/images/${Q_IMAGE}.elf --quiet --timeout ${Q_TIMEOUT}
    --qemu ${SIGIL_QEMU})
  foreach(e IN LISTS Q_EXPECT)
    list(APPEND args --expect ${e})
  endforeach()
  foreach(e IN LISTS Q_REJECT)
    list(APPEND args --reject ${e})
  endforeach()
  if(Q_EXPECT_FAILURE)
    list(APPEND args --expect-failure ${Q_EXPECT_FAILURE})
  endif()
  if(Q_MUST_FAIL)
    list(APPEND args --must-fail)
  endif()
  if(Q_NO_VIRT)
    list(APPEND args --no-virt)
  endif()
  if(Q_FIRMWARE_OFF)
    list(APPEND args --firmware-off)
  endif()
  if(Q_MEMORY)
    list(APPEND args --memory ${Q_MEMORY})
  endif()
  add_test(NAME ${name} COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/sigil_qemu.py ${args})
  math(EXPR ctest_timeout "${Q_TIMEOUT} + 30")
  set_tests_properties(${name} PROPERTIES LABELS qemu TIMEOUT ${ctest_timeout})
endfunction()

# sigil_bench_figures_test(IMAGE image [TIMEOUT seconds])
# Test bench.figures_IMAGE (labels qemu, bench): boots the benchmark image once under -icount and
# fails on any figure the docs' tables show differently (tools/sigil_benchdocs.py); it keeps the
# figures for bench.docs_complete (fixture bench_figures), which checks every row has a benchmark.
function(sigil_bench_figures_test)
  cmake_parse_arguments(B "" "IMAGE;TIMEOUT" "" ${ARGN})
  if(NOT B_TIMEOUT)
    set(B_TIMEOUT 60)
  endif()
  set(name bench.figures_${B_IMAGE})
  add_test(NAME ${name} COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/sigil_bench.py
    --build ${CMAKE_BINARY_DIR} --qemu ${SIGIL_QEMU} --timeout ${B_TIMEOUT} --check-docs --once
    --image ${B_IMAGE} --fragment ${CMAKE_BINARY_DIR}/bench/figures)
  math(EXPR ctest_timeout "${B_TIMEOUT} + 30")
  set_tests_properties(${name} PROPERTIES LABELS "qemu;bench" TIMEOUT ${ctest_timeout}
    FIXTURES_SETUP bench_figures)
endfunction()
