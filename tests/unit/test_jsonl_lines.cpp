// JSONL input lines: a mapped regular file and a pipe give the same lines
// (CR stripped, blanks skipped, oversized lines counted), and an import from
// either gives the same result.
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "brotr/store.hpp"
#include "storage/jsonl_import.hpp"
#include "storage/jsonl_lines.hpp"
#include "support/test_env.hpp"
#include "unit/test_store_fixtures.hpp"

namespace brotr::storage {
namespace {

using test::TempDir;

struct Collected {
    std::vector<std::string> lines;
    int oversized = 0;
    bool stable = false;
};

Collected collect(int fd, std::size_t max_line_bytes) {
    JsonlLines input(fd, max_line_bytes);
    Collected c;
    c.stable = input.stable();
    input.for_each(
        [&](std::string_view line) {
            c.lines.emplace_back(line);
            return true;
        },
        [&] { ++c.oversized; });
    return c;
}

// A descriptor reading `content` from a regular file.
int file_fd(const TempDir& dir, const std::string& content) {
    const auto path = dir / "input.jsonl";
    std::ofstream(path, std::ios::binary) << content;
    return ::open(path.c_str(), O_RDONLY);
}

// A descriptor reading `content` from a pipe, fed by a thread (content may be
// larger than the pipe's buffer).
struct PipeInput {
    explicit PipeInput(std::string content) : content_(std::move(content)) {
        int fds[2];
        if (::pipe(fds) != 0) throw std::runtime_error("pipe");
        fd = fds[0];
        feeder_ = std::thread([this, out = fds[1]] {
            std::size_t at = 0;
            while (at < content_.size()) {
                const ssize_t n = ::write(out, content_.data() + at, content_.size() - at);
                if (n <= 0) break;
                at += static_cast<std::size_t>(n);
            }
            ::close(out);
        });
    }
    ~PipeInput() {
        ::close(fd);
        feeder_.join();
    }
    int fd = -1;

private:
    std::string content_;
    std::thread feeder_;
};

const std::string kTricky = "a\r\n\n  \t\r\nbb\nccccc\nd\r\n" + std::string(3, 'e') + "\nffffff";

TEST(JsonlLines, MappedFileAndPipeGiveTheSameLines) {
    TempDir dir;
    const int fd = file_fd(dir, kTricky);
    const Collected mapped = collect(fd, 4);
    ::close(fd);
    PipeInput pipe(kTricky);
    const Collected streamed = collect(pipe.fd, 4);

    EXPECT_TRUE(mapped.stable);
    EXPECT_FALSE(streamed.stable);
    const std::vector<std::string> expected = {"a", "bb", "d", "eee"};
    EXPECT_EQ(mapped.lines, expected);
    EXPECT_EQ(streamed.lines, expected);
    EXPECT_EQ(mapped.oversized, 2);  // ccccc, and ffffff without a final newline
    EXPECT_EQ(streamed.oversized, 2);
}

TEST(JsonlLines, LongLinesAcrossReadBlocksStayWhole) {
    const std::string big(3u << 20, 'x');  // longer than one read block
    const std::string content = "first\n" + big + "\nlast";
    TempDir dir;
    const int fd = file_fd(dir, content);
    const Collected mapped = collect(fd, 4u << 20);
    ::close(fd);
    PipeInput pipe(content);
    const Collected streamed = collect(pipe.fd, 4u << 20);
    for (const auto* c : {&mapped, &streamed}) {
        ASSERT_EQ(c->lines.size(), 3u);
        EXPECT_EQ(c->lines[1], big);
        EXPECT_EQ(c->lines[2], "last");
        EXPECT_EQ(c->oversized, 0);
    }
}

TEST(JsonlLines, AFileStartsWhereItsDescriptorIsAndEndsAtItsEnd) {
    TempDir dir;
    const int fd = file_fd(dir, "skipped\nkept\n");
    ASSERT_EQ(::lseek(fd, 8, SEEK_SET), 8);
    EXPECT_EQ(collect(fd, 100).lines, std::vector<std::string>{"kept"});
    EXPECT_EQ(::lseek(fd, 0, SEEK_CUR), 13);
    ::close(fd);
}

TEST(JsonlLines, ReleasedPagesReadTheSameAgain) {
    TempDir dir;
    std::string content;
    for (int i = 0; i < 20000; ++i) content += "line " + std::to_string(i) + "\n";
    const int fd = file_fd(dir, content);
    JsonlLines input(fd, 100);
    ASSERT_TRUE(input.stable());
    std::vector<std::string_view> views;
    input.for_each(
        [&](std::string_view line) {
            views.push_back(line);
            return true;
        },
        [] {});
    input.release_before(views.back().data());
    ASSERT_EQ(views.size(), 20000u);
    EXPECT_EQ(views[0], "line 0");
    EXPECT_EQ(views[12345], "line 12345");
    ::close(fd);
}

TEST(JsonlImport, AFileAndAPipeImportAlike) {
    test::EventGenerator gen(31, 10);
    std::string content = test::to_jsonl(gen.batch(300));
    content += "{broken\n\n" + std::string(2u << 20, 'z') + "\n" + to_json(gen.next());  // invalid, blank, oversized, no newline
    content += "\n" + test::to_jsonl(gen.batch(200));
    ImportOptions options;
    options.batch_lines = 64;  // several chunks, and pages released along the way
    options.max_line_bytes = 1u << 20;

    TempDir dir;
    Store from_file = Store::init((dir / "a").string(), StoreVariant::bigbrotr);
    const int fd = file_fd(dir, content);
    const ImportReport a = import_jsonl(from_file, fd, options);
    ::close(fd);
    Store from_pipe = Store::init((dir / "b").string(), StoreVariant::bigbrotr);
    PipeInput pipe(content);
    const ImportReport b = import_jsonl(from_pipe, pipe.fd, options);

    EXPECT_EQ(a.summary(), "read=503 stored=501 duplicates=0 links=0 invalid=2 (malformed_json=1 oversized_line=1)");
    EXPECT_EQ(b.summary(), a.summary());
    EXPECT_EQ(from_file.summary().events, 501u);
    EXPECT_EQ(from_pipe.summary().events, 501u);
}

}  // namespace
}  // namespace brotr::storage
