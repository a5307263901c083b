extension SignetService {
    /// Registers a merchant (every problem of the input at once; `merchantExists` when the
    /// external id is taken).
    public func createMerchant(_ input: NewMerchant) async throws -> Merchant {
        let (registration, clean) = try MerchantValidation.validate(input).get()
        let merchant = Merchant(id: ResourceID.make(.merchant), externalID: clean.externalID, name: clean.name,
                                registration: registration, legalRepresentative: clean.legalRepresentative,
                                contact: clean.contact, createdAt: now)
        do {
            try await storage.merchants.insert(merchant)
        } catch StoreError.duplicate {
            throw ServiceError.merchantExists(externalID: merchant.externalID)
        }
        return merchant
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
