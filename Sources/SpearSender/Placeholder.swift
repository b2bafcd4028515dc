public enum SpearSenderPlaceholder {}
