import LianzhengKit
print("benchmarks")
