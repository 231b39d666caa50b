# Warnings are errors for all of Sigil's C code.
set(SIGIL_WARNINGS -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wundef -Wshadow)
add_compile_options("$<$<COMPILE_LANGUAGE:C>:${SIGIL_WARNINGS}>")
