#include "services/monitor_check.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <utility>

#include "services/nip11_fetch.hpp"

namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;

namespace brotr::services {

namespace {

struct OpenAndRead {
    OpenOutcome open;
    ReadOutcome read;
};

asio::awaitable<OpenAndRead> open_and_read(asio::any_io_executor executor, const RelayUrl& relay,
                                           net::SessionOptions session, ProbeTiming timing) {
    OpenAndRead out;
    out.open = co_await open_test(executor, relay, std::move(session), timing);
    if (out.open.session) out.read = co_await read_test(*out.open.session, timing);
    co_return out;
}

}  // namespace

asio::awaitable<RelayCheck> check_relay(asio::any_io_executor executor, const RelayUrl& relay,
                                        const RelayCheckOptions& options, std::int64_t generated_at) {
    const auto start = ProbeClock::now();
    ProbeTiming timing;
    timing.timeout = options.timeout;
    timing.deadline = start + options.budget;

    Nip11FetchOptions nip11;
    nip11.connect = options.connect;
    nip11.timeout = options.timeout;
    nip11.deadline = timing.deadline;
    nip11.max_body_bytes = options.nip11_max_bytes;

    net::SessionOptions session;
    session.websocket.connect = options.connect;
    session.verify_events = false;

    auto [fetched, probed] =
        co_await (fetch_nip11(executor, relay, nip11) && open_and_read(executor, relay, session, timing));

    RelayCheck check;
    check.metadata.relay_url = relay.str();
    check.metadata.generated_at = generated_at;
    if (fetched.document) {
        check.metadata.nip11 = fetched.document->fields;
        check.nip11_document = std::move(fetched.document);
    } else {
        check.nip11_error = std::move(fetched.error);
    }
    check.open_error = std::move(probed.open.error);
    check.read_detail = std::move(probed.read.detail);

    if (!probed.open.refused_locally) {
        Nip66 nip66;
        nip66.openable = probed.open.session.has_value();
        nip66.rtt_open = probed.open.rtt_open;
        nip66.readable = probed.read.readable;
        nip66.rtt_read = probed.read.rtt_read;
        if (probed.open.session && options.signing) {
            WriteTestSigning signing = *options.signing;
            signing.pow_difficulty = check.metadata.nip11 ? min_pow_difficulty(*check.metadata.nip11).value_or(0) : 0;
            WriteOutcome wrote = co_await write_test(*probed.open.session, relay, signing, timing);
            nip66.writable = wrote.writable;
            nip66.rtt_write = wrote.rtt_write;
            check.write_detail = std::move(wrote.detail);
            check.write_event = std::move(wrote.event);
        } else {
            check.write_skipped = probed.open.session.has_value();
            if (check.write_skipped) check.write_detail = "skipped: no keys";
        }
        check.metadata.nip66 = nip66;
    }
    check.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(ProbeClock::now() - start);
    co_return check;
}

}  // namespace brotr::services
