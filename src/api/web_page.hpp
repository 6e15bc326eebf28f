// The web page served at GET / (src/api/web/index.html), compiled into the
// binary by cmake/embed_file.cmake so that it needs no file beside it.
#pragma once

#include <string_view>

namespace brotr::api {

std::string_view web_page_html();

}  // namespace brotr::api
