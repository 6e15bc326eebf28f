// A real TLS endpoint for tests: Debian's stunnel4 on a loopback port in
// front of a plain TCP service (the test relay), with a certificate from a
// CA generated at test time by the openssl command (no key is ever committed).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/relay_peer.hpp"
#include "support/test_env.hpp"

namespace brotr::test {

struct TestCertificates {
    std::filesystem::path ca_cert;    // PEM, what clients trust
    std::filesystem::path leaf_cert;  // PEM, signed by the CA
    std::filesystem::path leaf_key;
};

// A fresh CA and a server certificate for the given DNS names (as
// subjectAltName entries; no IP address entries), valid for two days.
TestCertificates make_test_certificates(const std::filesystem::path& dir, const std::vector<std::string>& dns_names);

class TlsPeer {
public:
    // stunnel4 and openssl are installed.
    static bool available();

    // TLS on 127.0.0.1:port(), forwarding to 127.0.0.1:target_port.
    explicit TlsPeer(std::uint16_t target_port, const std::vector<std::string>& dns_names = {"localhost"});
    ~TlsPeer();
    TlsPeer(const TlsPeer&) = delete;
    TlsPeer& operator=(const TlsPeer&) = delete;

    std::uint16_t port() const { return port_; }
    const std::filesystem::path& ca_file() const { return certificates_.ca_cert; }

private:
    TempDir dir_;
    TestCertificates certificates_;
    std::uint16_t port_ = 0;
    std::unique_ptr<ChildProcess> process_;
};

}  // namespace brotr::test
