// SignetPAdES: PAdES signing sessions and validation, where PDF meets crypto.
