#include "support/tls_peer.hpp"

#include <stdexcept>

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace brotr::test {

namespace {

constexpr const char* kStunnel = "/usr/bin/stunnel4";
constexpr const char* kOpenssl = "/usr/bin/openssl";

void openssl(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {kOpenssl};
    argv.insert(argv.end(), args.begin(), args.end());
    auto out = run_command(argv);
    if (out.exit_code != 0) throw std::runtime_error("openssl " + args.front() + " failed: " + out.err);
}

}  // namespace

TestCertificates make_test_certificates(const fs::path& dir, const std::vector<std::string>& dns_names) {
    TestCertificates c{dir / "ca.pem", dir / "leaf.pem", dir / "leaf.key"};
    const fs::path ca_key = dir / "ca.key";
    const fs::path csr = dir / "leaf.csr";
    const fs::path ext = dir / "leaf.ext";
    openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
             ca_key.string(), "-out", c.ca_cert.string(), "-days", "2", "-subj", "/CN=brotr test CA", "-addext",
             "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"});
    openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
             c.leaf_key.string(), "-out", csr.string(), "-subj", "/CN=" + dns_names.front()});
    std::string san = "subjectAltName=";
    for (std::size_t i = 0; i < dns_names.size(); ++i) san += (i ? ",DNS:" : "DNS:") + dns_names[i];
    write_file(ext, san + "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
    openssl({"x509", "-req", "-in", csr.string(), "-CA", c.ca_cert.string(), "-CAkey", ca_key.string(),
             "-CAcreateserial", "-out", c.leaf_cert.string(), "-days", "2", "-extfile", ext.string()});
    return c;
}

bool TlsPeer::available() { return fs::exists(kStunnel) && fs::exists(kOpenssl); }

TlsPeer::TlsPeer(std::uint16_t target_port, const std::vector<std::string>& dns_names)
    : certificates_(make_test_certificates(dir_.path(), dns_names)) {
    std::string last_error;
    for (int attempt = 0; attempt < 5 && !process_; ++attempt) {
        std::uint16_t port = pick_free_port();
        const fs::path conf = dir_ / ("stunnel-" + std::to_string(port) + ".conf");
        write_file(conf, "foreground = yes\npid =\ndebug = 4\n[relay]\naccept = 127.0.0.1:" + std::to_string(port) +
                             "\nconnect = 127.0.0.1:" + std::to_string(target_port) + "\ncert = " +
                             certificates_.leaf_cert.string() + "\nkey = " + certificates_.leaf_key.string() + "\n");
        auto process = std::make_unique<ChildProcess>(std::vector<std::string>{kStunnel, conf.string()});
        if (wait_for_port(port, 10s) && process->running()) {
            port_ = port;
            process_ = std::move(process);
        } else {
            last_error = process->stderr_text();
        }
    }
    if (!process_) throw std::runtime_error("stunnel4 did not start: " + last_error);
}

TlsPeer::~TlsPeer() = default;

}  // namespace brotr::test
