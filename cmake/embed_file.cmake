# Writes a C++ file that holds the bytes of INPUT and defines FUNCTION (a
# qualified name, e.g. brotr::api::web_page_html) returning them as a
# std::string_view. Run as `cmake -DINPUT=… -DOUTPUT=… -DFUNCTION=…
# -DHEADER=… -P embed_file.cmake` by a custom command, so the file is
# regenerated whenever INPUT changes. A byte array rather than a string
# literal: compilers limit the length of literals, not of arrays.
file(READ "${INPUT}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
# 24 bytes (120 characters) per line keeps the file readable in a diff.
string(REGEX REPLACE "((0x..,){24})" "\\1\n    " bytes "${bytes}")
string(REGEX MATCH "^(.*)::([^:]+)$" _ "${FUNCTION}")
set(namespace "${CMAKE_MATCH_1}")
set(name "${CMAKE_MATCH_2}")
get_filename_component(input_name "${INPUT}" NAME)
file(WRITE "${OUTPUT}.tmp" "// Generated from ${input_name} by cmake/embed_file.cmake: edit that file instead.
#include \"${HEADER}\"

namespace ${namespace} {

namespace {
constexpr unsigned char kBytes[] = {
    ${bytes}
};
}  // namespace

std::string_view ${name}() { return {reinterpret_cast<const char*>(kBytes), sizeof kBytes}; }

}  // namespace ${namespace}
")
# Only a changed file touches OUTPUT, so an unchanged page recompiles nothing.
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
