#include "core/proto/file_cache.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace netlab::proto {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class FileCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("netlab-file-cache-test-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "root" / "dir");
    write("a.txt", "first");
    write("dir/index.html", "<p>dir</p>");
    std::ofstream(base_ / "secret.txt") << "top secret";
    root_ = std::make_unique<FileRoot>((base_ / "root").string());
  }
  void TearDown() override { fs::remove_all(base_); }

  void write(const std::string& name, std::string_view text) { std::ofstream(base_ / "root" / name) << text; }

  // The body `path` is served with, or the failure as text.
  std::string body(FileCache& cache, const std::string& path) {
    const CachedFile* file = nullptr;
    OpenResult r = cache.lookup(*root_, path, file);
    if (r == OpenResult::kForbidden) return "forbidden";
    if (r == OpenResult::kNotFound) return "not found";
    if (r != OpenResult::kOk) return "error";
    if (file->in_memory) return file->body;
    std::string text(file->size, '\0');
    EXPECT_EQ(::pread(file->file->get(), text.data(), text.size(), 0), static_cast<ssize_t>(text.size()));
    return text;
  }

  static FileCacheLimits valid_for(std::chrono::milliseconds valid) {
    FileCacheLimits limits;
    limits.valid = valid;
    return limits;
  }

  fs::path base_;
  std::unique_ptr<FileRoot> root_;
};

TEST_F(FileCacheTest, ServesFromMemoryWithItsHeaderLines) {
  FileCache cache(FileCacheLimits{});
  const CachedFile* file = nullptr;
  ASSERT_EQ(cache.lookup(*root_, "a.txt", file), OpenResult::kOk);
  EXPECT_TRUE(file->in_memory);
  EXPECT_EQ(file->body, "first");
  EXPECT_EQ(file->file, nullptr) << "a body held in memory keeps no descriptor";
  EXPECT_EQ(file->headers, "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n");
  EXPECT_EQ(body(cache, "dir"), "<p>dir</p>") << "a directory serves its index.html";
  EXPECT_EQ(body(cache, "nothing"), "not found");
  EXPECT_EQ(cache.entries(), 2u);
  EXPECT_EQ(cache.memory(), 15u);
}

// Within the validity period the cached body is served; after it, what is on disk now, whether
// rewritten in place with the same size (same mtime tick, perhaps) or replaced by a new file.
TEST_F(FileCacheTest, ARewrittenFileIsServedFreshOnceTheValidityPeriodEnds) {
  FileCache cache(valid_for(100ms));
  EXPECT_EQ(body(cache, "a.txt"), "first");
  write("a.txt", "again");
  EXPECT_EQ(body(cache, "a.txt"), "first") << "cached: valid for 100 ms";
  std::this_thread::sleep_for(120ms);
  EXPECT_EQ(body(cache, "a.txt"), "again");
  fs::rename(base_ / "secret.txt", base_ / "root" / "a.txt");
  std::this_thread::sleep_for(120ms);
  EXPECT_EQ(body(cache, "a.txt"), "top secret");
  fs::remove(base_ / "root" / "a.txt");
  std::this_thread::sleep_for(120ms);
  EXPECT_EQ(body(cache, "a.txt"), "not found");
  EXPECT_EQ(cache.entries(), 0u);
}

// A cached file replaced by a symlink out of the root: the reopen goes through RESOLVE_BENEATH,
// which refuses it, and nothing of the old entry is served after that.
TEST_F(FileCacheTest, AFileReplacedByASymlinkOutOfTheRootIsRefused) {
  FileCache cache(valid_for(50ms));
  EXPECT_EQ(body(cache, "a.txt"), "first");
  fs::remove(base_ / "root" / "a.txt");
  fs::create_symlink(base_ / "secret.txt", base_ / "root" / "a.txt");
  std::this_thread::sleep_for(70ms);
  EXPECT_EQ(body(cache, "a.txt"), "forbidden");
  EXPECT_EQ(body(cache, "a.txt"), "forbidden");
  EXPECT_EQ(cache.entries(), 0u);
}

TEST_F(FileCacheTest, LargeFilesShareOneOpenDescriptor) {
  write("big.bin", std::string(2000, 'x'));
  FileCacheLimits limits;
  limits.max_body = 1000;
  FileCache cache(limits);
  const CachedFile* first = nullptr;
  const CachedFile* second = nullptr;
  ASSERT_EQ(cache.lookup(*root_, "big.bin", first), OpenResult::kOk);
  auto descriptor = first->file;
  ASSERT_EQ(cache.lookup(*root_, "big.bin", second), OpenResult::kOk);
  EXPECT_FALSE(second->in_memory);
  EXPECT_EQ(second->file, descriptor) << "every reply of the file shares one descriptor";
  EXPECT_EQ(second->size, 2000u);
  EXPECT_EQ(cache.open_files(), 1u);
  EXPECT_EQ(cache.memory(), 0u);
}

TEST_F(FileCacheTest, EveryBoundHolds) {
  for (int i = 0; i < 10; ++i) write("f" + std::to_string(i), std::string(100, static_cast<char>('a' + i)));
  write("big1", std::string(300, 'b'));
  write("big2", std::string(300, 'c'));
  FileCacheLimits limits;
  limits.max_entries = 4;
  limits.max_memory = 250;
  limits.max_body = 200;
  limits.max_open = 1;
  FileCache cache(limits);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(body(cache, "f" + std::to_string(i)), std::string(100, static_cast<char>('a' + i)));
    EXPECT_LE(cache.memory(), 250u);
    EXPECT_LE(cache.entries(), 4u);
  }
  EXPECT_EQ(cache.entries(), 2u) << "two bodies of 100 bytes fit in 250";
  EXPECT_EQ(body(cache, "big1"), std::string(300, 'b'));
  EXPECT_EQ(body(cache, "big2"), std::string(300, 'c'));
  EXPECT_EQ(cache.open_files(), 1u);
  EXPECT_EQ(cache.entries(), 3u) << "the descriptor bound dropped big1, not a body";
  EXPECT_EQ(cache.memory(), 200u);
}

// One cache per thread and root: workers never share one (no locks), and two roots in one process
// never see each other's files.
TEST_F(FileCacheTest, EachThreadAndRootHasItsOwn) {
  FileCacheLimits limits;
  FileCache& mine = FileCache::for_thread(*root_, limits);
  EXPECT_EQ(&mine, &FileCache::for_thread(*root_, limits));
  FileCache* theirs = nullptr;
  std::thread([&] { theirs = &FileCache::for_thread(*root_, limits); }).join();
  EXPECT_NE(theirs, &mine);
  fs::create_directories(base_ / "other");
  std::ofstream(base_ / "other" / "a.txt") << "other";
  FileRoot other((base_ / "other").string());
  FileCache& for_other = FileCache::for_thread(other, limits);
  EXPECT_NE(&for_other, &mine);
  const CachedFile* file = nullptr;
  ASSERT_EQ(mine.lookup(*root_, "a.txt", file), OpenResult::kOk);
  EXPECT_EQ(file->body, "first");
  ASSERT_EQ(for_other.lookup(other, "a.txt", file), OpenResult::kOk);
  EXPECT_EQ(file->body, "other");
}

}  // namespace
}  // namespace netlab::proto
