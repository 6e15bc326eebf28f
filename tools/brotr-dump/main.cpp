// brotr-dump: inspect a brotr store offline (read-only or as a secondary instance).
#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
    CLI::App app{"brotr-dump: inspect a brotr store offline"};
    app.require_subcommand(1);
    CLI11_PARSE(app, argc, argv);
    return 0;
}
