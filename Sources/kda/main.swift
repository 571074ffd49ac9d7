print("kda")
