@_exported import LinearAlgebra
