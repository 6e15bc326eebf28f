#include "net/session_stats.hpp"

namespace brotr::net {

std::string_view to_string(DropReason r) {
    switch (r) {
        case DropReason::malformed_message: return "malformed_message";
        case DropReason::binary_message: return "binary_message";
        case DropReason::unknown_message_type: return "unknown_message_type";
        case DropReason::invalid_event: return "invalid_event";
        case DropReason::wrong_id: return "wrong_id";
        case DropReason::bad_signature: return "bad_signature";
        case DropReason::unknown_subscription: return "unknown_subscription";
        case DropReason::filter_mismatch: return "filter_mismatch";
        case DropReason::over_limit: return "over_limit";
        case DropReason::duplicate: return "duplicate";
        case DropReason::unexpected_ok: return "unexpected_ok";
    }
    return "unknown";
}

bool is_invalid_input(DropReason r) {
    switch (r) {
        case DropReason::malformed_message:
        case DropReason::binary_message:
        case DropReason::unknown_message_type:
        case DropReason::invalid_event:
        case DropReason::wrong_id:
        case DropReason::bad_signature:
            return true;
        default:
            return false;
    }
}

std::uint64_t DropCounts::total() const {
    std::uint64_t sum = 0;
    for (auto n : by_reason) sum += n;
    return sum;
}

DropCounts& DropCounts::operator+=(const DropCounts& o) {
    for (std::size_t i = 0; i < by_reason.size(); ++i) by_reason[i] += o.by_reason[i];
    for (std::size_t i = 0; i < by_event_error.size(); ++i) by_event_error[i] += o.by_event_error[i];
    return *this;
}

std::string DropCounts::summary() const {
    std::string out;
    for (std::size_t i = 0; i < by_reason.size(); ++i) {
        if (by_reason[i] == 0) continue;
        if (!out.empty()) out.push_back(' ');
        out += to_string(static_cast<DropReason>(i));
        out += '=' + std::to_string(by_reason[i]);
    }
    return out;
}

}  // namespace brotr::net
