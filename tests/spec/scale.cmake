# spec_scale: generate a 10,000-object spec, compile it, dump it back and count the objects.
execute_process(COMMAND ${PYTHON} ${GEN} 10000 -o ${OUT}/scale10k.yaml RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "gen_spec.py failed")
endif()
execute_process(COMMAND ${SPECC} -o ${OUT}/scale10k.bin ${OUT}/scale10k.yaml RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "sigil-specc failed on the generated 10k spec")
endif()
execute_process(COMMAND ${SPECC} --dump ${OUT}/scale10k.bin -o ${OUT}/scale10k.dump.yaml
                RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "sigil-specc --dump failed on the 10k blob")
endif()
# gen_spec.py writes 1,000 components of 10 explicit objects (its CSpace included) and the
# compiler adds 3 page tables to each: the dump must list 13,000 component objects (one
# `- name:` line each, indented under `objects:` of a component) and no top-level object.
file(STRINGS ${OUT}/scale10k.dump.yaml objects REGEX "^      - name: ")
list(LENGTH objects count)
file(STRINGS ${OUT}/scale10k.dump.yaml top REGEX "^objects: \\[\\]$")
if(NOT count EQUAL 13000 OR NOT top)
  message(FATAL_ERROR "the 10k dump lists ${count} component objects, expected 13000")
endif()
