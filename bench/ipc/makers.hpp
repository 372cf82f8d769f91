// Internal to bench/ipc: one maker per family of channels; make_channel() dispatches to them.
#pragma once

#include "bench/ipc/channel.hpp"

namespace netlab::bench {

Channel make_fd_channel(Transport t, std::size_t message_size);   // fd_channels.cpp
Channel make_mq_channel(std::size_t message_size);                // mq_channel.cpp
Channel make_shm_channel(bool atomics, std::size_t message_size);  // shm_channels.cpp

}  // namespace netlab::bench
