// TestDirFixture: a GoogleTest fixture with a fresh folder per test, named after the process and
// the test, removed afterwards unless the test failed (so a failure's files can be read).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace netlab::test {

class TestDirFixture : public ::testing::Test {
 protected:
  // `prefix` names the folder: /tmp/<prefix>-<pid>-<test name>.
  explicit TestDirFixture(std::string prefix) : prefix_(std::move(prefix)) {}
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           (prefix_ + "-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }
  // The lines of a text file, without their newlines.
  static std::vector<std::string> lines(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  }

  std::filesystem::path dir_;

 private:
  std::string prefix_;
};

}  // namespace netlab::test
