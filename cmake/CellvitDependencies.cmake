# All dependencies come from Debian 12 packages (scripts/install-deps.sh); a CUDA LibTorch 2.x
# can be used instead with -DTorch_DIR=<libtorch>/share/cmake/Torch.
find_package(Torch REQUIRED)
find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs)
find_package(nlohmann_json 3 REQUIRED)
find_package(Boost REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)
pkg_check_modules(OPENSLIDE REQUIRED IMPORTED_TARGET openslide)
# MATLAB v5 .mat point files of CRCHistoPhenotypes (inference/metrics/crc_points_reader.cpp).
pkg_check_modules(MATIO REQUIRED IMPORTED_TARGET matio)
# Clipper 6.4.2 (Angus Johnson), the clipper stardist's NMS uses (inference/postproc/polygon_overlap.cpp).
pkg_check_modules(POLYCLIPPING REQUIRED IMPORTED_TARGET polyclipping)

set(CELLVIT_QT_COMPONENTS Core Concurrent Sql)
if(CELLVIT_BUILD_TESTS)
  list(APPEND CELLVIT_QT_COMPONENTS Test)
endif()
if(CELLVIT_BUILD_GUI)
  list(APPEND CELLVIT_QT_COMPONENTS Gui Widgets Charts Svg)
endif()
find_package(Qt6 6.4 REQUIRED COMPONENTS ${CELLVIT_QT_COMPONENTS})

# The torch target carries TORCH_CXX_FLAGS (the C++11 ABI define) as interface options.
message(STATUS "LibTorch ${Torch_VERSION} at ${Torch_DIR}")
