# CUDA backend (docs/cuda.md), included from backends/CMakeLists.txt (directory scope, so registry.cpp sees
# ACCELBENCH_WITH_CUDA): cuBLASLt GEMM, cuDNN fused attention (headers only at build time; the
# library is loaded at run time), composed attention kernels, NVML loaded at run time. Two tables share the sources: cuda (cuBLASLt's default algorithm) and cuda_tuned (the
# fastest of its top-K heuristic candidates). cudart is linked statically so a bundle needs only
# the driver from the host; cuBLASLt is shared (there is no static cuBLASLt in the toolkit).
set(ACCELBENCH_CUDA_SOURCES
  "${CMAKE_CURRENT_LIST_DIR}/cuda_backend.cpp"
  "${CMAKE_CURRENT_LIST_DIR}/cuda_check.cpp"
  "${CMAKE_CURRENT_LIST_DIR}/cublaslt_gemm.cpp"
  "${CMAKE_CURRENT_LIST_DIR}/cuda_attention.cpp"
  "${CMAKE_CURRENT_LIST_DIR}/attention_path.cpp"
  "${CMAKE_CURRENT_LIST_DIR}/graph_batch.cpp"
  "${CMAKE_CURRENT_LIST_DIR}/cuda_device.cpp"
  "${CMAKE_CURRENT_LIST_DIR}/nvml_telemetry.cpp"
  "${CMAKE_CURRENT_LIST_DIR}/sdpa_graph.cpp"
  "${CMAKE_CURRENT_LIST_DIR}/cudnn_library.cpp"
  "${CMAKE_CURRENT_LIST_DIR}/cudnn_sdpa.cpp"
  "${CMAKE_CURRENT_LIST_DIR}/attention_kernels.cu")
set(ACCELBENCH_CUDA_LIBS CUDA::cublasLt CUDA::cudart_static nlohmann_json::nlohmann_json ${CMAKE_DL_LIBS})
accelbench_in_tree_backend(cuda SOURCES ${ACCELBENCH_CUDA_SOURCES} LIBS ${ACCELBENCH_CUDA_LIBS})
accelbench_in_tree_backend(cuda_tuned SOURCES ${ACCELBENCH_CUDA_SOURCES} LIBS ${ACCELBENCH_CUDA_LIBS})
