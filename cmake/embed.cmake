# Turn a list of files into one C source holding each as a NUL-terminated
# string, so the program carries the very files that ship in config/.
# Inputs: OUT (the .c file), SYMBOL (table name), FILES (|-list), BASE (dir).
string(REPLACE "|" ";" FILES "${FILES}")
set(body "#include <stddef.h>\n#include \"embedded.h\"\n")
set(table "")
set(i 0)
foreach(f ${FILES})
	file(READ "${f}" hex HEX)
	string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
	file(RELATIVE_PATH rel "${BASE}" "${f}")
	string(APPEND body "static const char d${i}[] = {${hex}0x00};\n")
	string(APPEND table "\t{\"${rel}\", d${i}, sizeof(d${i}) - 1},\n")
	math(EXPR i "${i} + 1")
endforeach()
string(APPEND body "const cw_embedded ${SYMBOL}[] = {\n${table}\t{NULL, NULL, 0}\n};\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
