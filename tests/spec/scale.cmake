# spec_scale: generate a 10,000-object spec, compile it and dump it back.
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
