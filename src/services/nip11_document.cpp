#include "services/nip11_document.hpp"

#include <algorithm>
#include <array>

#include "model/jsonb_text.hpp"
#include "services/canonical_json_walk.hpp"

namespace brotr::services {

namespace jw = json_walk;

namespace {

using StringField = std::optional<std::string> Nip11::*;

struct NamedStringField {
    std::string_view key;
    StringField field;
};

constexpr std::array<NamedStringField, 10> kStringFields{{
    {"name", &Nip11::name},
    {"description", &Nip11::description},
    {"banner", &Nip11::banner},
    {"icon", &Nip11::icon},
    {"pubkey", &Nip11::pubkey},
    {"contact", &Nip11::contact},
    {"software", &Nip11::software},
    {"version", &Nip11::version},
    {"privacy_policy", &Nip11::privacy_policy},
    {"terms_of_service", &Nip11::terms_of_service},
}};

bool nips_list(std::string_view value) {
    auto items = jw::elements(value);
    if (!items) return false;
    return std::all_of(items->begin(), items->end(), [](std::string_view item) {
        const jw::Kind k = jw::kind_of(item);
        return k == jw::Kind::string || (k == jw::Kind::number && jw::integer_value(item).has_value());
    });
}

}  // namespace

Nip11ParseResult parse_nip11_document(std::string_view body) {
    Nip11ParseResult result;
    std::string canonical;
    try {
        canonical = to_jsonb_text(body);
    } catch (const JsonbError& e) {
        result.error = std::string("not a valid JSON document: ") + e.what();
        return result;
    }
    auto members = jw::members(canonical);
    if (!members) {
        result.error = "the document is not a JSON object";
        return result;
    }

    Nip11Document doc;
    JsonbObjectBuilder extra;
    for (const auto& [key, value] : *members) {
        auto known = std::find_if(kStringFields.begin(), kStringFields.end(),
                                  [&](const NamedStringField& f) { return f.key == key; });
        if (known != kStringFields.end()) {
            doc.fields.*(known->field) = jw::string_value(value);  // NULL unless a string
        } else if (key == "supported_nips") {
            if (nips_list(value)) doc.fields.supported_nips = std::string(value);
        } else if (key == "limitation") {
            if (jw::kind_of(value) == jw::Kind::object) doc.fields.limitation = std::string(value);
        } else {
            extra.add_raw(key, std::string(value));
        }
    }
    doc.fields.extra_fields = std::move(extra).finish();
    doc.canonical_json = std::move(canonical);
    result.document = std::move(doc);
    return result;
}

std::optional<int> min_pow_difficulty(const Nip11& doc) {
    if (!doc.limitation) return std::nullopt;
    auto members = jw::members(*doc.limitation);
    if (!members) return std::nullopt;
    std::optional<int> difficulty;
    for (const auto& [key, value] : *members) {
        if (key != "min_pow_difficulty") continue;
        auto n = jw::integer_value(value);
        difficulty = (n && *n >= 0 && *n <= 256) ? std::optional<int>(static_cast<int>(*n)) : std::nullopt;
    }
    return difficulty;
}

std::vector<int> supported_nip_numbers(const Nip11& doc) {
    std::vector<int> out;
    if (!doc.supported_nips) return out;
    auto items = jw::elements(*doc.supported_nips);
    if (!items) return out;
    for (std::string_view item : *items) {
        std::optional<long long> n;
        if (auto text = jw::string_value(item)) n = jw::integer_value(*text);
        else n = jw::integer_value(item);
        if (!n || *n < 0 || *n > 100000) continue;
        const int nip = static_cast<int>(*n);
        if (std::find(out.begin(), out.end(), nip) == out.end()) out.push_back(nip);
    }
    return out;
}

}  // namespace brotr::services
