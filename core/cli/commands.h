// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace epsinas::cli {

// Each returns the exit status; bad usage or input throws (main prints it and exits with 2).
int scoreCommand(const std::vector<std::string>& args);
int correlateCommand(const std::vector<std::string>& args);
int compareCommand(const std::vector<std::string>& args);
int searchCommand(const std::vector<std::string>& args);
int exportCommand(const std::vector<std::string>& args);
int mergeCommand(const std::vector<std::string>& args);

} // namespace epsinas::cli
