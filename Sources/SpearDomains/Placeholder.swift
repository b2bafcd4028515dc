public enum SpearDomainsPlaceholder {}
