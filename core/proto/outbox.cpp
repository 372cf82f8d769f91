#include "core/proto/outbox.hpp"

namespace netlab::proto {

void Outbox::write(std::string_view bytes) {
  if (bytes.empty()) {
    return;
  }
  if (chunks_.size() == head_ || chunks_.back().is_file) {
    chunks_.emplace_back();
    chunks_.back().bytes.swap(spare_);
  }
  chunks_.back().bytes.append(bytes);
  pending_ += bytes.size();
}

void Outbox::send_file(FileRange range) {
  if (range.length == 0) {
    return;
  }
  pending_ += range.length;
  ++files_;
  Chunk chunk;
  chunk.range = std::move(range);
  chunk.is_file = true;
  chunks_.push_back(std::move(chunk));
}

std::string_view Outbox::front_bytes() const {
  return std::string_view(chunks_[head_].bytes).substr(front_sent_);
}

void Outbox::pop_front() {
  if (++head_ == chunks_.size()) {
    chunks_.clear();  // keeps the capacity
    head_ = 0;
  } else if (head_ >= 64 && head_ * 2 >= chunks_.size()) {
    // A pipeline that never fully drains: drop the sent slots so they cannot pile up.
    chunks_.erase(chunks_.begin(), chunks_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

void Outbox::consume(uint64_t n) {
  pending_ -= n;
  Chunk& front = chunks_[head_];
  if (front.is_file) {
    front.range.offset += n;
    front.range.length -= n;
    if (front.range.length == 0) {
      front.range.file.reset();  // close the file now, not when the slot is reused
      --files_;
      pop_front();
    }
    return;
  }
  front_sent_ += n;
  if (front_sent_ < front.bytes.size()) {
    return;
  }
  front_sent_ = 0;
  // Keep the buffer: in the common echo case one allocation then serves every reply.
  front.bytes.clear();
  spare_.swap(front.bytes);
  pop_front();
}

}  // namespace netlab::proto
