public enum SpearDNSPlaceholder {}
