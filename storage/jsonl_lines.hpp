// The lines of a JSONL input. A regular file is mapped into memory and its
// lines are handed out in place, without a copy; a pipe or terminal is read
// in blocks and each line handed out from a buffer that the next line
// overwrites. Lines are stripped of a trailing CR; blank lines are skipped;
// lines longer than the limit are counted and skipped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace brotr::storage {

class JsonlLines {
public:
    JsonlLines(int fd, std::size_t max_line_bytes);
    ~JsonlLines();
    JsonlLines(const JsonlLines&) = delete;
    JsonlLines& operator=(const JsonlLines&) = delete;

    // Whether lines stay valid until this object is destroyed (a mapped
    // file); otherwise each is valid only during its on_line call.
    bool stable() const { return map_ != nullptr; }

    // Calls on_line for every line, in order, and on_oversized for each line
    // over the limit, until the input ends or on_line returns false.
    // Throws std::runtime_error when the input cannot be read.
    void for_each(const std::function<bool(std::string_view)>& on_line, const std::function<void()>& on_oversized);

    // A mapped file: the pages before `p` are not needed any more (their
    // lines were handled), so they need not stay in this process's memory.
    void release_before(const char* p);

private:
    void for_each_mapped(const std::function<bool(std::string_view)>& on_line, const std::function<void()>& on_oversized);
    void for_each_read(const std::function<bool(std::string_view)>& on_line, const std::function<void()>& on_oversized);

    int fd_;
    std::size_t max_line_bytes_;
    char* map_ = nullptr;
    std::size_t map_size_ = 0;
    std::size_t start_ = 0;     // where the input starts in the map (the file offset when handed over)
    std::size_t released_ = 0;  // map bytes given back so far
};

}  // namespace brotr::storage
