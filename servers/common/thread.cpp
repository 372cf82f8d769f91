#include "servers/common/thread.hpp"

#include <pthread.h>

#include <cerrno>
#include <memory>

namespace netlab::server {
namespace {

void* run(void* arg) {
  std::unique_ptr<std::function<void()>> body(static_cast<std::function<void()>*>(arg));
  (*body)();
  return nullptr;
}

}  // namespace

bool start_detached_thread(std::function<void()> body, size_t stack_bytes) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, stack_bytes);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  auto* arg = new std::function<void()>(std::move(body));
  pthread_t thread;
  int rc = pthread_create(&thread, &attr, run, arg);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    delete arg;
    errno = rc;
    return false;
  }
  return true;
}

}  // namespace netlab::server
