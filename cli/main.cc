#include <exception>
#include <iostream>

#include "commands.h"

int main(int argc, char** argv) {
  try {
    return edgarix::cli::Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "edgarix: " << e.what() << "\n";
    return 1;
  }
}
