/* The few NVML types and entry points accelbench uses, declared from NVIDIA's public NVML API
 * reference (docs.nvidia.com/deploy/nvml-api). NVML is loaded with dlopen at run time
 * (nvml_telemetry.cpp), so there is no build dependency on the driver or its headers. */
#ifndef ACCELBENCH_NVML_API_H
#define ACCELBENCH_NVML_API_H

#ifdef __cplusplus
extern "C" {
#endif

typedef int nvmlReturn_t; /* NVML_SUCCESS = 0 */
typedef struct nvmlDevice_st* nvmlDevice_t;

enum {
  ACCELBENCH_NVML_SUCCESS = 0,
  ACCELBENCH_NVML_ERROR_NOT_SUPPORTED = 3,
};

/* nvmlClockType_t */
enum { ACCELBENCH_NVML_CLOCK_GRAPHICS = 0, ACCELBENCH_NVML_CLOCK_SM = 1, ACCELBENCH_NVML_CLOCK_MEM = 2 };
/* nvmlTemperatureSensors_t */
enum { ACCELBENCH_NVML_TEMPERATURE_GPU = 0 };

/* Clock event (formerly "throttle") reason bits, nvmlClocksEventReasons. */
#define ACCELBENCH_NVML_CLOCKS_EVENT_GPU_IDLE 0x0000000000000001ull
#define ACCELBENCH_NVML_CLOCKS_EVENT_APPLICATIONS_CLOCKS_SETTING 0x0000000000000002ull
#define ACCELBENCH_NVML_CLOCKS_EVENT_SW_POWER_CAP 0x0000000000000004ull
#define ACCELBENCH_NVML_CLOCKS_EVENT_HW_SLOWDOWN 0x0000000000000008ull
#define ACCELBENCH_NVML_CLOCKS_EVENT_SYNC_BOOST 0x0000000000000010ull
#define ACCELBENCH_NVML_CLOCKS_EVENT_SW_THERMAL_SLOWDOWN 0x0000000000000020ull
#define ACCELBENCH_NVML_CLOCKS_EVENT_HW_THERMAL_SLOWDOWN 0x0000000000000040ull
#define ACCELBENCH_NVML_CLOCKS_EVENT_HW_POWER_BRAKE_SLOWDOWN 0x0000000000000080ull
#define ACCELBENCH_NVML_CLOCKS_EVENT_DISPLAY_CLOCK_SETTING 0x0000000000000100ull

typedef nvmlReturn_t (*nvmlInit_v2_fn)(void);
typedef nvmlReturn_t (*nvmlShutdown_fn)(void);
typedef const char* (*nvmlErrorString_fn)(nvmlReturn_t result);
typedef nvmlReturn_t (*nvmlSystemGetDriverVersion_fn)(char* version, unsigned int length);
typedef nvmlReturn_t (*nvmlDeviceGetHandleByUUID_fn)(const char* uuid, nvmlDevice_t* device);
typedef nvmlReturn_t (*nvmlDeviceGetClockInfo_fn)(nvmlDevice_t device, int type, unsigned int* clock);
typedef nvmlReturn_t (*nvmlDeviceGetMaxClockInfo_fn)(nvmlDevice_t device, int type, unsigned int* clock);
typedef nvmlReturn_t (*nvmlDeviceGetPowerUsage_fn)(nvmlDevice_t device, unsigned int* milliwatts);
typedef nvmlReturn_t (*nvmlDeviceGetEnforcedPowerLimit_fn)(nvmlDevice_t device, unsigned int* milliwatts);
typedef nvmlReturn_t (*nvmlDeviceGetTemperature_fn)(nvmlDevice_t device, int sensor, unsigned int* celsius);
typedef nvmlReturn_t (*nvmlDeviceGetCurrentClocksEventReasons_fn)(nvmlDevice_t device, unsigned long long* reasons);
typedef nvmlReturn_t (*nvmlDeviceGetMigMode_fn)(nvmlDevice_t device, unsigned int* current, unsigned int* pending);
/* A MIG instance's handle (looked up by its "MIG-..." UUID) to its physical GPU's handle. */
typedef nvmlReturn_t (*nvmlDeviceGetDeviceHandleFromMigDeviceHandle_fn)(nvmlDevice_t mig_device, nvmlDevice_t* device);

#ifdef __cplusplus
}
#endif

#endif /* ACCELBENCH_NVML_API_H */
