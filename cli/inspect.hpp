#pragma once
namespace cli {
// `macrun inspect FILE`: prints what the loader sees. Returns the exit status.
int inspect(const char* path);
}  // namespace cli
