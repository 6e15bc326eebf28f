#include "net/net_error.hpp"

#include <string>

namespace brotr::net {

std::string_view to_string(Failure f) {
    switch (f) {
        case Failure::invalid_url: return "invalid_url";
        case Failure::address_refused: return "address_refused";
        case Failure::tor_disabled: return "tor_disabled";
        case Failure::resolve: return "resolve";
        case Failure::connect: return "connect";
        case Failure::proxy: return "proxy";
        case Failure::tls: return "tls";
        case Failure::handshake: return "handshake";
        case Failure::timeout: return "timeout";
        case Failure::closed: return "closed";
        case Failure::too_large: return "too_large";
        case Failure::too_many_redirects: return "too_many_redirects";
        case Failure::io: return "io";
    }
    return "unknown";
}

std::string_view to_string(Step s) {
    switch (s) {
        case Step::resolve: return "resolve";
        case Step::connect: return "connect";
        case Step::proxy: return "proxy";
        case Step::tls: return "tls";
        case Step::handshake: return "handshake";
        case Step::read: return "read";
        case Step::write: return "write";
        case Step::close: return "close";
    }
    return "unknown";
}

namespace {

// "timeout during handshake: ...", or "resolve failed: ..." when the failure
// and the step have the same name.
std::string describe(Failure failure, Step step, const std::string& detail) {
    const std::string what(to_string(failure));
    const std::string where(to_string(step));
    std::string text = what == where ? what + " failed" : what + " during " + where;
    if (!detail.empty()) text += ": " + detail;
    return text;
}

}  // namespace

NetError::NetError(Failure failure, Step step, const std::string& detail)
    : std::runtime_error(describe(failure, step, detail)),
      failure_(failure),
      step_(step) {}

}  // namespace brotr::net
