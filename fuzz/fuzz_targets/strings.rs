#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    asl_toolkit_fuzz::targets::strings(data);
});
