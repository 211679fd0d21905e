import LianzhengKit
print("lianzheng")
