// brotr-dump state: the persistent state of every service.
#include "tools/brotr-dump/dump_commands.hpp"
#include "tools/brotr-dump/dump_format.hpp"

namespace brotr::dump {

int show_state(const Store& store, bool json) {
    auto states = store.service_states();
    if (json) {
        Json arr = Json::array();
        for (const auto& s : states)
            arr.push_back({{"service_name", s.name}, {"state", Json::parse(s.state_json)}, {"updated_at", s.updated_at}});
        print_json(arr);
        return 0;
    }
    Table t({"service_name", "updated_at (UTC)", "state"});
    for (const auto& s : states) t.add({s.name, format_time(s.updated_at), Json::parse(s.state_json).dump()});
    t.print(stdout);
    return 0;
}

}  // namespace brotr::dump
