"""accelbench's torch backend, Python side (docs/torch-backend.md).

Compiled into the plugin and run in the interpreter it embeds; the C++ side (torch_backend.cpp)
calls start() once, then the Backend and Plan methods under the GIL. Importing this module
imports nothing heavy: torch is imported by start(), so a process that never uses the backend
never imports torch.

Devices are whatever the imported torch exposes (cpu, cuda for NVIDIA or ROCm/DTK, npu after
torch_npu, musa after torch_musa, xpu, mps). Inputs arrive as host buffers (memoryviews) in the
workload's storage dtype, outputs leave the same way, so verification is the engine's.
"""
import importlib
import importlib.util
import json
import sys
import time
import warnings

torch = None  # set by start()

# Device plugins that register a device type when imported: (device type, module).
DEVICE_PLUGINS = (("npu", "torch_npu"), ("musa", "torch_musa"))
# Accelerator device types, in listing order, with the ABI's device kind (1 cpu, 2 gpu, 3 npu).
ACCELERATORS = (("cuda", 2), ("npu", 3), ("musa", 2), ("xpu", 2), ("mps", 2))
# The engine's storage dtypes that torch.matmul computes in (its output dtype is its input dtype).
TORCH_DTYPES = {"f64": "float64", "f32": "float32", "tf32": "float32", "bf16": "bfloat16", "f16": "float16"}
# Accumulations torch provides per input dtype (the workload's dt_acc; f64 accumulates in f64,
# at least the f32 that dt=f64 asks for).
ACCUMULATION = {"f64": ("f32", "f64"), "f32": ("f32",), "tf32": ("f32",), "bf16": ("f32",), "f16": ("f32",)}
# A call shorter than this (device time) is replayed several times per run() from a CUDA graph.
BATCH_THRESHOLD_S = 20e-6
# On the host clock, a call shorter than this is repeated in a Python loop per run(), so the
# C-to-Python call of each run() (a few microseconds) is shared by the calls, as in a user's loop.
HOST_BATCH_THRESHOLD_S = 100e-6


def start(probe_json, threads):
    """Takes the chosen interpreter's sys.path, imports torch and its device plugins."""
    global torch
    probe = json.loads(probe_json)
    sys.path[:] = probe["path"]
    sys.executable = probe["executable"]
    sys.argv = [probe["executable"]]  # an embedded interpreter has none; some libraries read it
    import torch as imported

    torch = imported
    return Backend(threads)


def torch_version_tuple():
    parts = torch.__version__.split("+")[0].split(".")
    return tuple(int("".join(ch for ch in p if ch.isdigit()) or 0) for p in parts[:2])


def dtype_name(dtype):
    return str(dtype).replace("torch.", "")


def error_text(e):
    return f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:300]


class Device:
    def __init__(self, type_, index, name, kind, memory, properties):
        self.type, self.index, self.name, self.kind, self.memory = type_, index, name, kind, memory
        self.properties = properties
        self.torch_device = torch.device(type_, index) if type_ != "cpu" else torch.device("cpu")
        self.module = getattr(torch, type_, None)  # torch.cuda, torch.npu, ... (None for cpu)

    def label(self):
        return "cpu" if self.type == "cpu" else f"{self.type}:{self.index}"

    def has_events(self):
        return self.type != "cpu" and hasattr(self.module, "Event")

    def synchronize(self):
        if self.type != "cpu":
            self.module.synchronize(self.torch_device) if self.type != "mps" else self.module.synchronize()

    def free_memory(self):
        if self.type == "cpu":
            with open("/proc/meminfo") as f:
                for line in f:
                    if line.startswith("MemAvailable:"):
                        return int(line.split()[1]) * 1024
            return 0
        if hasattr(self.module, "mem_get_info"):
            return self.module.mem_get_info(self.torch_device)[0]
        return self.memory


def accelerator_devices(type_, kind):
    """The devices of one accelerator type, as the framework names them."""
    if type_ == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            return []
        memory = torch.mps.recommended_max_memory() if hasattr(torch.mps, "recommended_max_memory") else 0
        return [Device("mps", 0, "Apple GPU (MPS)", kind, memory, {"torch_device": "mps"})]
    module = getattr(torch, type_, None)
    if module is None or not hasattr(module, "is_available") or not module.is_available():
        return []
    devices = []
    for i in range(module.device_count()):
        props = module.get_device_properties(i) if hasattr(module, "get_device_properties") else None
        name = module.get_device_name(i) if hasattr(module, "get_device_name") else getattr(props, "name", type_)
        memory = int(getattr(props, "total_memory", 0) or 0)
        facts = {"torch_device": f"{type_}:{i}"}
        if type_ == "cuda":  # ROCm/DTK builds reuse the cuda device name
            hip = getattr(torch.version, "hip", None)
            facts["platform"] = f"ROCm/HIP {hip}" if hip else f"CUDA {torch.version.cuda}"
        devices.append(Device(type_, i, name, kind, memory, facts))
    return devices


class Backend:
    def __init__(self, threads):
        self.plugins = []  # "torch_npu 2.1.0" or "torch_npu: import failed (...)"
        for _, module in DEVICE_PLUGINS:
            if importlib.util.find_spec(module) is None:
                continue
            try:
                imported = importlib.import_module(module)
                self.plugins.append(f"{module} {getattr(imported, '__version__', '(no __version__)')}")
            except Exception as e:  # a broken plugin costs its devices, not the backend
                self.plugins.append(f"{module} import failed ({error_text(e)})")
        torch.set_num_threads(threads)
        self.threads = torch.get_num_threads()
        self.devices = [Device("cpu", 0, "", 1, 0, {"torch_device": "cpu", "intra_op_threads": self.threads})]
        for type_, kind in ACCELERATORS:
            try:
                self.devices += accelerator_devices(type_, kind)
            except Exception as e:  # e.g. a driver that fails on query: the other devices stay
                self.plugins.append(f"{type_} devices not listed ({error_text(e)})")
        self.trials = {}  # (device, dtype name) -> "" or why torch cannot compute it there

    def version(self):
        parallel = torch.__config__.parallel_info()
        backend = next((l.split(":", 1)[1].strip() for l in parallel.splitlines() if "parallel backend" in l), "?")
        flavour = []
        if getattr(torch.version, "cuda", None):
            flavour.append(f"CUDA {torch.version.cuda}")
        if getattr(torch.version, "hip", None):
            flavour.append(f"ROCm/HIP {torch.version.hip}")
        types = sorted({d.label().split(":")[0] for d in self.devices})
        return (f"torch {torch.__version__} ({', '.join(flavour + [f'{self.threads} intra-op threads, {backend}'])}; "
                f"Python {sys.version.split()[0]} {sys.executable}; devices: {', '.join(types)}; "
                f"device plugins: {', '.join(self.plugins) if self.plugins else 'none'})")

    def device_count(self):
        return len(self.devices)

    def device_info(self, index):
        d = self.devices[index]
        return d.name, d.kind, int(d.memory), json.dumps(d.properties)

    def dtype_trial(self, device, name):
        """Whether torch computes a small matmul and softmax of this dtype on the device."""
        key = (device.label(), name)
        if key not in self.trials:
            try:
                x = torch.ones(4, 4, dtype=getattr(torch, TORCH_DTYPES[name]), device=device.torch_device)
                torch.softmax(torch.matmul(x, x), dim=-1)
                device.synchronize()
                self.trials[key] = ""
            except Exception as e:
                self.trials[key] = f"torch {torch.__version__} on {device.label()} has no {name} matmul ({error_text(e)})"
        return self.trials[key]

    def supports(self, index, w):
        """"" when the device can run w, else why not."""
        device = self.devices[index]
        dt_in, dt_out, dt_acc = w["dt_in"], w["dt_out"], w["dt_acc"]
        if dt_in not in TORCH_DTYPES or dt_out != dt_in or dt_acc not in ACCUMULATION[dt_in]:
            return (f"torch.matmul computes f64, f32, tf32, bf16 and f16 with the output in the input dtype; "
                    f"not dt={dt_in}:{dt_out}:{dt_acc}")
        if dt_in == "tf32" and tf32_flag(device) is None:
            return f"no TF32/HF32 matmul switch for {device.label()} in torch {torch.__version__}"
        if dt_in == "tf32" and w["kind"] == "attn":
            return "attention in tf32 is not wired (f32 attention runs with TF32 off)"
        if w["kind"] == "attn" and dt_in == "f64":
            return "attention is wired for f32, bf16 and f16"
        trial = self.dtype_trial(device, "f32" if dt_in == "tf32" else dt_in)
        if trial:
            return trial
        needed, free = plan_bytes(w), device.free_memory()
        if free and needed > free:
            return f"needs {needed / 2**30:.2f} GiB on {device.label()}, {free / 2**30:.2f} GiB available"
        return ""

    def prepare(self, index, w, inputs):
        device = self.devices[index]
        plan = GemmPlan(device, w, inputs) if w["kind"] == "gemm" else AttentionPlan(device, w, inputs)
        plan.run()  # first call outside timing: lazy initialization, kernel selection
        device.synchronize()
        return plan


def element_bytes(dt):
    return {"f64": 8, "f32": 4, "tf32": 4, "bf16": 2, "f16": 2}[dt]


def plan_bytes(w):
    e = element_bytes(w["dt_in"])
    if w["kind"] == "gemm":
        return w["batch"] * (w["m"] * w["k"] + w["k"] * w["n"] + w["m"] * w["n"]) * e
    q_o = 2 * w["b"] * w["hq"] * w["sq"] * w["d"] * e
    k_v = 2 * w["b"] * w["hkv"] * w["skv"] * w["d"] * e * (w["hq"] // w["hkv"])  # expanded for SDPA
    scores = 2 * w["b"] * w["hq"] * w["sq"] * w["skv"] * 4  # scores and probabilities (composed)
    return q_o + k_v + scores


def tf32_flag(device):
    """The TF32-style matmul switch of the device as (object, attribute), or None."""
    if device.type == "cuda":
        return torch.backends.cuda.matmul, "allow_tf32"
    if device.type == "npu" and hasattr(device.module, "matmul"):
        return device.module.matmul, "allow_hf32"  # torch_npu: f32 computed as HF32
    return None


def from_host(buffer, dt, shape, device):
    """A device tensor with the bytes of one engine input (copied; the buffer is borrowed)."""
    with warnings.catch_warnings():  # frombuffer warns on read-only buffers; it is copied at once
        warnings.simplefilter("ignore")
        host = torch.frombuffer(buffer, dtype=getattr(torch, TORCH_DTYPES[dt])).reshape(shape)
    return host.to(device.torch_device, copy=True)


class Plan:
    """Shared by GEMM and attention: output, timing slots, read_output."""

    def __init__(self, device, w):
        self.device, self.w = device, w
        self.calls = 1  # per run(); more only when replayed from a graph
        self.graph = None
        self.notes = []
        self.flag = tf32_flag(device)
        self.flag_value = w["dt_in"] == "tf32"
        self.host_timed = not device.has_events()  # the C++ side then times with the host clock
        if device.has_events():
            self.timing = f"torch.{device.type}.Event(enable_timing=True) on the current stream"
            self.starts = [device.module.Event(enable_timing=True) for _ in range(64)]
            self.stops = [device.module.Event(enable_timing=True) for _ in range(64)]
        else:
            self.timing = "host clock around synchronous calls"

    def flags(self):
        """The precision switch this plan sets before every call (never left implicit)."""
        if self.flag is None:
            return "no TF32/HF32 switch on this device"
        return f"{self.device.type} matmul {self.flag[1]}={self.flag_value} (set before every call)"

    def run(self):
        if self.flag is not None:
            setattr(self.flag[0], self.flag[1], self.flag_value)
        if self.graph is not None:
            self.graph.replay()
        else:
            for _ in range(self.calls):
                self.call()

    def record(self, slot, start):
        (self.starts if start else self.stops)[slot].record()

    def synchronize(self):
        self.device.synchronize()

    def elapsed(self, slot):
        return self.starts[slot].elapsed_time(self.stops[slot]) * 1e-3

    def read_output(self, buffer):
        out = self.out.reshape(-1)
        dst = torch.frombuffer(buffer, dtype=torch.uint8)
        if dst.numel() != out.numel() * out.element_size():
            raise ValueError(f"read_output: {dst.numel()} bytes requested, the output has "
                             f"{out.numel() * out.element_size()}")
        dst.view(out.dtype).copy_(out.cpu())

    def batch_calls(self):
        """Several calls per run() when one call is short: a Python loop on the host clock, a CUDA
        graph replay on cuda (the engine divides each sample by the count and records it)."""
        if self.host_timed:
            return self.batch_on_host()
        if self.device.type != "cuda" or not hasattr(torch.cuda, "CUDAGraph"):
            self.notes.append(f"not batched (no graph capture for {self.device.type})")
            return 1
        self.record(0, True)
        self.call()
        self.record(0, False)
        self.synchronize()
        one = self.elapsed(0)
        if one >= BATCH_THRESHOLD_S:
            self.notes.append(f"not batched: one call {one * 1e6:.1f} us at prepare")
            return 1
        calls = max(2, min(64, int(BATCH_THRESHOLD_S * 10 / max(one, 1e-7))))
        try:
            stream = torch.cuda.Stream()
            stream.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(stream):
                self.call()  # warm-up on the side stream, as torch's graph docs require
            torch.cuda.current_stream().wait_stream(stream)
            graph = torch.cuda.CUDAGraph()
            with torch.cuda.graph(graph):
                for _ in range(calls):
                    self.call()
            self.graph, self.calls = graph, calls
            self.notes.append(f"graph-batched: {calls} calls per torch.cuda.CUDAGraph replay (one call "
                              f"{one * 1e6:.1f} us at prepare), samples are per call")
        except Exception as e:
            self.notes.append(f"not batched (graph capture failed: {error_text(e)})")
        return self.calls

    def batch_on_host(self):
        start = time.perf_counter()
        for _ in range(5):
            self.call()
        one = (time.perf_counter() - start) / 5
        if one >= HOST_BATCH_THRESHOLD_S:
            self.notes.append(f"not batched: one call {one * 1e6:.0f} us at prepare")
            return 1
        self.calls = max(2, min(64, int(1e-3 / max(one, 1e-7))))
        self.notes.append(f"batched: {self.calls} calls per run in a Python loop (one call {one * 1e6:.1f} us at "
                          f"prepare), samples are per call")
        return self.calls

    def description(self):
        return "; ".join([self.what, self.flags(), f"timing: {self.timing}",
                          f"intra-op threads {torch.get_num_threads()}" if self.device.type == "cpu" else
                          f"device {self.device.label()}"] + self.notes)


class GemmPlan(Plan):
    def __init__(self, device, w, inputs):
        super().__init__(device, w)
        batch, m, n, k = w["batch"], w["m"], w["n"], w["k"]
        a = from_host(inputs[0], w["dt_in"], (batch, k, m) if w["trans_a"] else (batch, m, k), device)
        b = from_host(inputs[1], w["dt_in"], (batch, n, k) if w["trans_b"] else (batch, k, n), device)
        # Transposes are views: torch hands the strides to the BLAS (no copy per call).
        self.a = a.transpose(-1, -2) if w["trans_a"] else a
        self.b = b.transpose(-1, -2) if w["trans_b"] else b
        if batch == 1:  # 2-D: torch.matmul -> mm
            self.a, self.b = self.a[0], self.b[0]
        self.out = torch.full((batch, m, n) if batch > 1 else (m, n), float("nan"), dtype=self.a.dtype,
                              device=device.torch_device)  # a plan that writes nothing fails verification
        op = "bmm" if batch > 1 else "mm"
        views = [name for name, t in (("A", w["trans_a"]), ("B", w["trans_b"])) if t]
        self.what = (f"torch.matmul ({op}, out=) in {dtype_name(self.a.dtype)}" +
                     (f", transposed {' and '.join(views)} passed as strided views" if views else ""))

    def call(self):
        torch.matmul(self.a, self.b, out=self.out)


class AttentionPlan(Plan):
    def __init__(self, device, w, inputs):
        super().__init__(device, w)
        b, hq, hkv, sq, skv, d = w["b"], w["hq"], w["hkv"], w["sq"], w["skv"], w["d"]
        self.scale, self.group = w["scale"], hq // hkv
        q = from_host(inputs[0], w["dt_in"], (b, hq, sq, d), device)
        k = from_host(inputs[1], w["dt_in"], (b, hkv, skv, d), device)
        v = from_host(inputs[2], w["dt_in"], (b, hkv, skv, d), device)
        self.out = torch.full((b, hq, sq, d), float("nan"), dtype=q.dtype, device=device.torch_device)
        self.empty_rows = max(0, sq - skv) if w["causal"] else 0  # rows that see no key: output 0
        mask = None
        if w["causal"]:  # bottom-right: query i sees keys j <= i + (skv - sq)
            i = torch.arange(sq, device=device.torch_device).unsqueeze(1)
            j = torch.arange(skv, device=device.torch_device).unsqueeze(0)
            mask = j <= i + (skv - sq)
            if w.get("window", 0) > 0:  # sliding window: only the `window` most recent keys
                mask &= j > i + (skv - sq) - w["window"]
        sdpa = getattr(torch.nn.functional, "scaled_dot_product_attention", None)
        if sdpa is not None:
            self.prepare_sdpa(sdpa, q, k, v, mask)
        else:
            self.prepare_composed(q, k, v, mask)

    def prepare_sdpa(self, sdpa, q, k, v, mask):
        w = self.w
        kwargs = {"scale": self.scale} if torch_version_tuple() >= (2, 1) else {}
        if self.group > 1 and torch_version_tuple() >= (2, 5):
            kwargs["enable_gqa"] = True
            gqa = "GQA by enable_gqa=True"
        elif self.group > 1:  # expanded once here, not per call
            k, v = k.repeat_interleave(self.group, dim=1), v.repeat_interleave(self.group, dim=1)
            gqa = f"GQA by K/V expanded {self.group}x at prepare (not timed)"
        else:
            gqa = "no GQA"
        if mask is not None and w["sq"] == w["skv"] and not w.get("window", 0):
            kwargs["is_causal"] = True  # top-left and bottom-right agree on square masks
            causal = "causal by is_causal=True"
        elif mask is not None:
            kwargs["attn_mask"] = mask
            causal = ("causal bottom-right" + (f", window {w['window']}," if w.get("window", 0) else "") +
                      " by a boolean attn_mask built at prepare")
        else:
            causal = "not causal"
        if "scale" not in kwargs:  # torch 2.0 scales by 1/sqrt(d) only
            q = q * (self.scale * w["d"] ** 0.5)
        self.q, self.k, self.v, self.kwargs, self.sdpa = q, k, v, kwargs, sdpa
        self.what = f"torch.nn.functional.scaled_dot_product_attention (fused where torch chooses); {gqa}; {causal}"

    def call_sdpa(self):
        self.out = self.sdpa(self.q, self.k, self.v, **self.kwargs)  # SDPA has no out=: keep its tensor
        if self.empty_rows:  # rows that see no key: SDPA gives NaN, our workloads define 0
            self.out[:, :, : self.empty_rows].zero_()

    def prepare_composed(self, q, k, v, mask):
        w = self.w
        b, hkv, sq, d = w["b"], w["hkv"], w["sq"], w["d"]
        # GQA without copying K/V: the query heads of one K/V head become one taller matrix.
        self.q = q.reshape(b, hkv, self.group * sq, d)
        self.k_t, self.v = k.transpose(-1, -2), v
        self.o = self.out.view(b, hkv, self.group * sq, d)
        self.masked = None if mask is None else ~mask.repeat(self.group, 1)
        self.what = (f"composed torch.matmul, softmax, torch.matmul (torch {torch.__version__} has no "
                     f"scaled_dot_product_attention), scores materialized in {dtype_name(self.q.dtype)}" +
                     (f"; GQA by grouping {self.group} query heads per K/V head (no K/V copy)" if self.group > 1 else
                      "; no GQA") + ("; causal bottom-right by masked_fill" if mask is not None else "; not causal") +
                     (f", window {w['window']}" if w.get("window", 0) else ""))

    def call_composed(self):
        s = torch.matmul(self.q, self.k_t).mul_(self.scale)
        if self.masked is not None:
            s.masked_fill_(self.masked, float("-inf"))
        p = torch.softmax(s, dim=-1)
        if self.empty_rows:  # softmax of a row of -inf is NaN; the row's output is 0
            p.masked_fill_(self.masked, 0.0)
        torch.matmul(p, self.v, out=self.o)

    def call(self):
        self.call_sdpa() if hasattr(self, "sdpa") else self.call_composed()


def bare_matmul_loop(n, dt, iterations, warmup):
    """The fidelity benchmark's baseline: torch.matmul(a, b, out=c) on the CPU, each call timed
    with time.perf_counter; returns the per-call seconds (docs/performance.md)."""
    dtype = getattr(torch, TORCH_DTYPES[dt])
    a, b = torch.randn(n, n).to(dtype), torch.randn(n, n).to(dtype)
    c = torch.empty(n, n, dtype=dtype)
    for _ in range(warmup):
        torch.matmul(a, b, out=c)
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        torch.matmul(a, b, out=c)
        times.append(time.perf_counter() - start)
    return times
