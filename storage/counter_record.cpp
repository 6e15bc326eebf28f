#include "storage/counter_record.hpp"

#include <rocksdb/merge_operator.h>

#include "storage/varint.hpp"

namespace brotr::storage {

std::string CounterRecord::encode() const {
    std::string out;
    put_varint(out, count);
    put_varint(out, distinct);
    if (has_range) {
        put_varint(out, zigzag(min));
        put_varint(out, static_cast<std::uint64_t>(max) - static_cast<std::uint64_t>(min));
    }
    return out;
}

std::optional<CounterRecord> CounterRecord::decode(std::string_view in) {
    CounterRecord r;
    if (in.empty()) return r;
    if (!get_varint(in, r.count) || !get_varint(in, r.distinct)) return std::nullopt;
    if (in.empty()) return r;
    std::uint64_t zmin = 0, span = 0;
    if (!get_varint(in, zmin) || !get_varint(in, span) || !in.empty()) return std::nullopt;
    r.has_range = true;
    r.min = unzigzag(zmin);
    r.max = static_cast<std::int64_t>(static_cast<std::uint64_t>(r.min) + span);
    if (r.max < r.min) return std::nullopt;
    return r;
}

namespace {

class CounterMergeOperator final : public rocksdb::AssociativeMergeOperator {
public:
    bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
               std::string* new_value, rocksdb::Logger*) const override {
        CounterRecord sum;
        if (existing != nullptr) {
            auto base = CounterRecord::decode(std::string_view(existing->data(), existing->size()));
            if (!base) return false;
            sum = *base;
        }
        auto delta = CounterRecord::decode(std::string_view(value.data(), value.size()));
        if (!delta) return false;
        sum.add(*delta);
        *new_value = sum.encode();
        return true;
    }
    const char* Name() const override { return "brotr.CounterRecord.v1"; }
};

}  // namespace

std::shared_ptr<rocksdb::MergeOperator> make_counter_merge_operator() {
    return std::make_shared<CounterMergeOperator>();
}

}  // namespace brotr::storage
