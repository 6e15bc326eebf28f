// brotr verify: checks Nostr events, one JSON object per line on stdin, and
// says for each whether it is valid (well-formed, id matches the content,
// signature verifies) or why not.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "brotr/event.hpp"
#include "cli/commands.hpp"

namespace brotr::cli {
namespace {

struct VerifyOptions {
    bool line_numbers = false;
    bool invalid_only = false;
};

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

// "ok" or "invalid: <reason>: <description> (<detail>)".
std::string verdict(const ParsedEvent& checked) {
    if (checked.error == EventError::ok) return "ok";
    std::string out = "invalid: ";
    out += to_string(checked.error);
    out += ": ";
    out += describe(checked.error);
    if (!checked.detail.empty()) {
        out += " (";
        out += checked.detail;
        out += ")";
    }
    return out;
}

int run_verify(const VerifyOptions& options) {
    std::size_t line_number = 0, valid = 0, invalid = 0;
    char* buffer = nullptr;
    std::size_t capacity = 0;
    ssize_t length;
    while ((length = ::getline(&buffer, &capacity, stdin)) >= 0) {
        ++line_number;
        std::string_view line(buffer, static_cast<std::size_t>(length));
        if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (is_blank(line)) continue;
        const ParsedEvent checked = parse_and_check_event(line);
        if (checked.error == EventError::ok) {
            ++valid;
            if (options.invalid_only) continue;
        } else {
            ++invalid;
        }
        if (options.line_numbers) std::printf("%zu: ", line_number);
        std::printf("%s\n", verdict(checked).c_str());
    }
    const bool read_error = std::ferror(stdin) != 0;
    std::free(buffer);
    if (read_error) {
        std::fprintf(stderr, "brotr verify: error: cannot read stdin after line %zu\n", line_number);
        return kExitFailure;
    }
    std::fflush(stdout);
    std::fprintf(stderr, "brotr verify: %zu events, %zu valid, %zu invalid\n", valid + invalid, valid, invalid);
    return invalid == 0 ? kExitOk : kExitFailure;
}

}  // namespace

void add_verify_command(CLI::App& app, CommandResult& result) {
    auto options = std::make_shared<VerifyOptions>();
    auto* cmd = app.add_subcommand(
        "verify",
        "Check Nostr events read from stdin, one JSON object per line (JSONL): for each non-blank line print "
        "\"ok\" or \"invalid: <reason>: <description>\". Exit status 0 if all are valid, 1 if any is invalid, "
        "2 on a usage error.");
    cmd->add_flag("-n,--line-numbers", options->line_numbers, "prefix each verdict with its input line number");
    cmd->add_flag("--invalid-only", options->invalid_only, "print only the invalid lines");
    cmd->callback([options, &result] { result.exit_code = run_verify(*options); });
}

}  // namespace brotr::cli
