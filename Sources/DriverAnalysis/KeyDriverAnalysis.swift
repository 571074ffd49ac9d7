public enum KeyDriverAnalysis { public static let version = "0.1.0" }
