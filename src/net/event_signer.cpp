#include <stdexcept>

#include "brotr/keys.hpp"
#include "net/relay_session.hpp"

namespace brotr::net {

EventSigner signer_for(const Bytes32& secret_key) {
    return [secret_key](Event& event) {
        try {
            sign_event(event, secret_key);
            return true;
        } catch (const std::invalid_argument&) {
            return false;  // not a valid secret key
        }
    };
}

}  // namespace brotr::net
