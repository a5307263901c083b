extension SignetService {
    /// Registers a merchant (every problem of the input at once; `merchantExists` when the
    /// external id is taken). With `idempotencyKey` (a started `beginIdempotent` request) a
    /// retry after a crash gets the merchant the key registered (`createOnce`), not 409.
    public func createMerchant(_ input: NewMerchant, idempotencyKey: IdempotencyKey? = nil) async throws -> Merchant {
        try await createOnce(under: idempotencyKey, earlier: { try await merchant(id: $0) }) { claim in
            let (registration, clean) = try MerchantValidation.validate(input).get()
            let merchant = Merchant(id: ResourceID.make(.merchant), externalID: clean.externalID, name: clean.name,
                                    registration: registration, legalRepresentative: clean.legalRepresentative,
                                    contact: clean.contact, createdAt: now)
            do {
                try await storage.merchants.insert(merchant, claim: claim)
            } catch StoreError.duplicate(let what) where what != "idempotency.resource_id" {
                throw ServiceError.merchantExists(externalID: merchant.externalID)
            }
            return merchant
        }
    }

    /// The merchant with `id`.
    public func merchant(id: String) async throws -> Merchant {
        guard let merchant = try await storage.merchants.merchant(id: id) else { throw ServiceError.notFound("merchant") }
        return merchant
    }

    /// The merchant with the integrator's `externalID`, if any.
    public func merchant(externalID: String) async throws -> Merchant? {
        try await storage.merchants.merchant(externalID: externalID)
    }
}
