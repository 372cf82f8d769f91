// Stopping the processes a multi-process model forked (fork_per_conn's connection children,
// prefork's and processes' workers). A master must never hang on a child that does not stop: a
// child wedged in a runtime lock after fork, or one stuck in a kernel call, would keep the whole
// server alive past SIGTERM and make every script that stops it wait forever.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <span>

#include "servers/common/server.hpp"

namespace netlab::server {

// How long children get to finish (their handlers close their connections at once); a clean stop
// of the whole server must still fit in one second (the deadline server_cli_test holds it to).
constexpr auto kChildStopGrace = std::chrono::milliseconds(500);

// A forked worker calls this first: SIGTERM reaches it when the parent dies, even by SIGKILL, so a
// killed master never leaves workers serving (or holding the port) on their own. `parent` is the
// pid the parent had before fork(); a parent that died before the call is caught too.
void stop_with_parent(pid_t parent);

// Sends SIGTERM to every child, reaps them, and SIGKILLs (and logs) those still running after
// `grace`. Returns how many had to be killed.
size_t stop_children(const ServerContext& ctx, std::span<const pid_t> children,
                     std::chrono::milliseconds grace = kChildStopGrace);

}  // namespace netlab::server
