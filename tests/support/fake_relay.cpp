#include "support/fake_relay.hpp"

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>
#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <list>
#include <nlohmann/json.hpp>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace brotr::test {

struct FakeServer::State {
    asio::io_context io;  // only for constructing sockets: all I/O here is blocking
    tcp::acceptor acceptor{io};
    std::atomic<bool> stopping{false};
    std::mutex mutex;
    std::list<std::thread> threads;
    std::vector<int> open_fds;  // connections to shut down on stop
    std::vector<std::string> errors;

    void forget_fd(int fd) {
        std::lock_guard lock(mutex);
        std::erase(open_fds, fd);
    }
};

namespace {

class BlockingPeer final : public FakePeer {
public:
    BlockingPeer(tcp::socket socket, FakeServer::State& state) : socket_(std::move(socket)), state_(state) {}

    std::string read_some() override {
        char buf[4096];
        boost::system::error_code ec;
        std::size_t n = socket_.read_some(asio::buffer(buf), ec);
        return ec ? std::string() : std::string(buf, n);
    }

    void write_raw(std::string_view bytes) override {
        boost::system::error_code ec;
        asio::write(socket_, asio::buffer(bytes.data(), bytes.size()), ec);
    }

    void accept_websocket(bool deflate) override {
        ws_.emplace(socket_);
        websocket::permessage_deflate pmd;
        pmd.server_enable = deflate;
        pmd.client_enable = false;
        ws_->set_option(pmd);
        ws_->read_message_max(64 * 1024 * 1024);
        boost::system::error_code ec;
        ws_->accept(ec);
        if (ec) throw std::runtime_error("fake server: WebSocket accept failed: " + ec.message());
    }

    std::optional<std::string> read_message() override {
        beast::flat_buffer buffer;
        boost::system::error_code ec;
        ws_->read(buffer, ec);
        if (ec) return std::nullopt;
        return beast::buffers_to_string(buffer.data());
    }

    void send_text(std::string_view text) override {
        ws_->text(true);
        boost::system::error_code ec;
        ws_->write(asio::buffer(text.data(), text.size()), ec);
    }

    void send_binary(std::string_view bytes) override {
        ws_->binary(true);
        boost::system::error_code ec;
        ws_->write(asio::buffer(bytes.data(), bytes.size()), ec);
        ws_->text(true);
    }

    std::string read_http_request() override {
        beast::flat_buffer buffer;
        beast::http::request<beast::http::string_body> req;
        boost::system::error_code ec;
        beast::http::read(socket_, buffer, req, ec);
        if (ec) return {};
        std::string text = std::string(req.method_string()) + " " + std::string(req.target()) + "\n";
        for (const auto& field : req) {
            text += std::string(field.name_string()) + ": " + std::string(field.value()) + "\n";
        }
        return text;
    }

    void stall(std::chrono::milliseconds timeout) override {
        auto until = std::chrono::steady_clock::now() + timeout;
        while (!state_.stopping && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }

    tcp::socket& socket() { return socket_; }

private:
    tcp::socket socket_;
    FakeServer::State& state_;
    std::optional<websocket::stream<tcp::socket&>> ws_;
};

}  // namespace

FakeServer::FakeServer(Handler handler) : state_(std::make_shared<State>()) {
    auto& acceptor = state_->acceptor;
    tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen();
    port_ = acceptor.local_endpoint().port();

    accept_thread_ = std::thread([this, state = state_, handler = std::move(handler)] {
        for (;;) {
            boost::system::error_code ec;
            tcp::socket socket(state->io);
            state->acceptor.accept(socket, ec);
            if (state->stopping) return;
            if (ec) continue;
            ++accepted_;
            std::lock_guard lock(state->mutex);
            int fd = socket.native_handle();
            state->open_fds.push_back(fd);
            state->threads.emplace_back([state, handler, fd, socket = std::move(socket)]() mutable {
                {
                    BlockingPeer peer(std::move(socket), *state);
                    try {
                        handler(peer);
                    } catch (const std::exception& e) {
                        std::lock_guard error_lock(state->mutex);
                        state->errors.push_back(e.what());
                    }
                    state->forget_fd(fd);
                    boost::system::error_code ignored;
                    peer.socket().shutdown(tcp::socket::shutdown_both, ignored);
                    peer.socket().close(ignored);
                }
            });
        }
    });
}

FakeServer::~FakeServer() {
    state_->stopping = true;
    // shutdown(2) wakes threads blocked in accept/read on these descriptors.
    ::shutdown(state_->acceptor.native_handle(), SHUT_RDWR);
    accept_thread_.join();
    {
        std::lock_guard lock(state_->mutex);
        for (int fd : state_->open_fds) ::shutdown(fd, SHUT_RDWR);
    }
    std::list<std::thread> threads;
    {
        std::lock_guard lock(state_->mutex);
        threads.swap(state_->threads);
    }
    for (auto& t : threads) t.join();
    boost::system::error_code ignored;
    state_->acceptor.close(ignored);
}

std::vector<std::string> FakeServer::handler_errors() const {
    std::lock_guard lock(state_->mutex);
    return state_->errors;
}

std::string req_subscription_id(std::string_view message) {
    auto j = nlohmann::json::parse(message, nullptr, false);
    if (!j.is_array() || j.size() < 2 || j[0] != "REQ" || !j[1].is_string()) return {};
    return j[1].get<std::string>();
}

std::optional<std::size_t> req_limit(std::string_view message) {
    auto j = nlohmann::json::parse(message, nullptr, false);
    if (!j.is_array() || j.size() < 3 || !j[2].is_object() || !j[2].contains("limit")) return std::nullopt;
    return j[2]["limit"].get<std::size_t>();
}

std::string client_event_id(std::string_view message) {
    auto j = nlohmann::json::parse(message, nullptr, false);
    if (!j.is_array() || j.size() < 2 || j[0] != "EVENT" || !j[1].is_object()) return {};
    return j[1].value("id", "");
}

std::string http_response(int status, std::string_view content_type, std::string_view body,
                          std::string_view extra_headers) {
    std::string out = "HTTP/1.1 " + std::to_string(status) + " Status\r\n";
    if (!content_type.empty()) out += "Content-Type: " + std::string(content_type) + "\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    out += extra_headers;
    out += "Connection: close\r\n\r\n";
    out += body;
    return out;
}

bool sign_event(Event& e, std::uint8_t key_seed) {
    static secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    std::array<unsigned char, 32> secret{};
    secret.fill(key_seed);
    secret[0] = 0x01;  // keeps the key well inside the curve order for any seed
    secp256k1_keypair keypair;
    if (!secp256k1_keypair_create(ctx, &keypair, secret.data())) return false;
    secp256k1_xonly_pubkey xonly;
    if (!secp256k1_keypair_xonly_pub(ctx, &xonly, nullptr, &keypair) ||
        !secp256k1_xonly_pubkey_serialize(ctx, e.pubkey.data(), &xonly)) {
        return false;
    }
    e.id = compute_event_id(e);
    return secp256k1_schnorrsig_sign32(ctx, e.sig.data(), e.id.data(), &keypair, nullptr) == 1;
}

Event make_signed_event(std::uint8_t key_seed, std::int64_t created_at, std::uint16_t kind, std::string content,
                        Tags tags) {
    Event e;
    e.created_at = created_at;
    e.kind = kind;
    e.content = std::move(content);
    e.tags = std::move(tags);
    if (!sign_event(e, key_seed)) throw std::runtime_error("signing a test event failed");
    return e;
}

std::string event_frame(std::string_view subscription_id, const Event& e) {
    std::string out = "[\"EVENT\",";
    out += nlohmann::json(std::string(subscription_id)).dump();
    out += ",";
    append_json(e, out);
    out += "]";
    return out;
}

}  // namespace brotr::test
