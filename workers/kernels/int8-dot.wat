;; Dot products of int8 catalog rows with an int16 query, in WebAssembly SIMD (128-bit).
;;
;; The caller (workers/int8-scorer.ts) lays out this module's memory as
;;   [rows × stride int8 matrix][rows f32 row scales][stride i16 query][rows f32 out]
;; where stride is the dimension rounded up to 16 (padding is zero in both the rows and the
;; query, so it adds nothing). For row r it writes
;;   out[r] = f32(Σ_j row[r][j] × query[j]) × (scale[r] × queryScale)
;; The integer sum is exact: each i32 lane adds stride / 4 products of at most 127 × 32767 in
;; magnitude, which fits in 31 bits while stride ≤ 2048 (the caller checks it). So the only
;; rounding is the two f32 multiplications at the end, which the ranking's error bound covers.
(module
  (memory (export "memory") 1)

  (func (export "score")
    (param $rows i32) (param $stride i32)
    (param $matrix i32) (param $scales i32) (param $query i32) (param $out i32)
    (param $queryScale f32)
    (local $r i32) (local $row i32) (local $end i32) (local $q i32)
    (local $acc v128) (local $bytes v128)
    (local.set $row (local.get $matrix))
    (block $done
      (loop $rowLoop
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $q (local.get $query))
        (local.set $end (i32.add (local.get $row) (local.get $stride)))
        ;; 16 int8 weights at a time: widened to two halves of 8 int16, each multiplied with 8
        ;; int16 query values and summed pairwise into the four i32 lanes of the accumulator.
        (loop $chunk
          (local.set $bytes (v128.load (local.get $row)))
          (local.set $acc (i32x4.add (local.get $acc)
            (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $bytes)) (v128.load (local.get $q)))))
          (local.set $acc (i32x4.add (local.get $acc)
            (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $bytes)) (v128.load offset=16 (local.get $q)))))
          (local.set $row (i32.add (local.get $row) (i32.const 16)))
          (local.set $q (i32.add (local.get $q) (i32.const 32)))
          (br_if $chunk (i32.lt_u (local.get $row) (local.get $end))))
        ;; The four lanes summed, converted once, scaled by the row's and the query's scales.
        (f32.store
          (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2)))
          (f32.mul
            (f32.convert_i32_s
              (i32.add
                (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
                (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
            (f32.mul
              (f32.load (i32.add (local.get $scales) (i32.shl (local.get $r) (i32.const 2))))
              (local.get $queryScale))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowLoop))))
)
