{
  "targets": [
    {
      "target_name": "hoist_sha1",
      "sources": ["hoist_sha1.c"],
      "cflags_c": ["-O3", "-std=c11"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O3"] }
    }
  ]
}
