#include "storage/jsonl_lines.hpp"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace brotr::storage {

namespace {

bool is_blank(std::string_view line) {
    return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

std::size_t page_size() {
    static const std::size_t size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    return size;
}

}  // namespace

JsonlLines::JsonlLines(int fd, std::size_t max_line_bytes) : fd_(fd), max_line_bytes_(max_line_bytes) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) return;
    const off_t at = ::lseek(fd, 0, SEEK_CUR);
    if (at < 0 || at >= st.st_size) return;
    void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) return;  // read it instead
    map_ = static_cast<char*>(p);
    map_size_ = static_cast<std::size_t>(st.st_size);
    start_ = static_cast<std::size_t>(at);
    ::madvise(map_, map_size_, MADV_SEQUENTIAL);
}

JsonlLines::~JsonlLines() {
    if (map_ != nullptr) ::munmap(map_, map_size_);
}

void JsonlLines::for_each(const std::function<bool(std::string_view)>& on_line, const std::function<void()>& on_oversized) {
    if (map_ != nullptr) for_each_mapped(on_line, on_oversized);
    else for_each_read(on_line, on_oversized);
}

void JsonlLines::for_each_mapped(const std::function<bool(std::string_view)>& on_line,
                                 const std::function<void()>& on_oversized) {
    std::string_view data(map_ + start_, map_size_ - start_);
    while (!data.empty()) {
        const auto nl = data.find('\n');
        std::string_view line = data.substr(0, nl);
        data.remove_prefix(nl == std::string_view::npos ? data.size() : nl + 1);
        if (line.size() > max_line_bytes_) {
            on_oversized();
            continue;
        }
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (is_blank(line)) continue;
        if (!on_line(line)) return;
    }
    // Leave the descriptor where reading would have left it.
    ::lseek(fd_, 0, SEEK_END);
}

void JsonlLines::for_each_read(const std::function<bool(std::string_view)>& on_line,
                               const std::function<void()>& on_oversized) {
    std::vector<char> buffer(1 << 20);
    std::string pending;    // a line cut by the end of the buffer
    bool skipping = false;  // inside an oversized line
    auto finish = [&](std::string_view line) {
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return is_blank(line) || on_line(line);
    };
    for (;;) {
        const ssize_t n = ::read(fd_, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::runtime_error(std::string("cannot read the input: ") + std::strerror(errno));
        if (n == 0) break;
        std::string_view data(buffer.data(), static_cast<std::size_t>(n));
        while (!data.empty()) {
            const auto nl = data.find('\n');
            const std::string_view piece = data.substr(0, nl);
            data.remove_prefix(nl == std::string_view::npos ? data.size() : nl + 1);
            if (!skipping && pending.size() + piece.size() > max_line_bytes_) {
                skipping = true;
                pending.clear();
                on_oversized();
            }
            if (nl == std::string_view::npos) {
                if (!skipping) pending.append(piece);
                break;
            }
            bool go_on = true;
            if (skipping) {
                skipping = false;
            } else if (pending.empty()) {
                go_on = finish(piece);
            } else {
                pending.append(piece);
                go_on = finish(pending);
                pending.clear();
            }
            if (!go_on) return;
        }
    }
    if (!skipping && !pending.empty()) finish(pending);
}

void JsonlLines::release_before(const char* p) {
    if (map_ == nullptr || p <= map_) return;
    const std::size_t upto = std::min(static_cast<std::size_t>(p - map_), map_size_) / page_size() * page_size();
    if (upto <= released_) return;
    ::madvise(map_ + released_, upto - released_, MADV_DONTNEED);
    released_ = upto;
}

}  // namespace brotr::storage
