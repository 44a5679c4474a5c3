package dev.tillit.keycloak.kyc;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.IDToken;

import dev.tillit.keycloak.TillitAttributes;

/**
 * Puts {@code kyc_level} (a number, 0 when never verified) and {@code kyc_status} ({@code none} when
 * never started) into tokens and userinfo, so the exchange's services read the limits that apply
 * without calling Keycloak. Malformed attribute values (only an admin can write them) count as 0 / none.
 */
public class KycClaimsMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, OIDCIDTokenMapper, UserInfoTokenMapper, TokenIntrospectionTokenMapper {

    public static final String ID = "tillit-kyc-mapper";

    private static final List<ProviderConfigProperty> PROPERTIES = new ArrayList<>();

    static {
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(PROPERTIES, KycClaimsMapper.class);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: identity verification";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Adds the claims kyc_level (0, 1, 2) and kyc_status (none, pending, approved, rejected, resubmission_required).";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession,
                            KeycloakSession session, ClientSessionContext clientSessionCtx) {
        UserModel user = userSession.getUser();
        token.getOtherClaims().put(TillitAttributes.KYC_LEVEL, level(user.getFirstAttribute(TillitAttributes.KYC_LEVEL)));
        token.getOtherClaims().put(TillitAttributes.KYC_STATUS, status(user.getFirstAttribute(TillitAttributes.KYC_STATUS)));
    }

    static int level(String value) {
        return switch (value == null ? "" : value.trim()) {
            case "1" -> 1;
            case "2" -> 2;
            default -> 0;
        };
    }

    static String status(String value) {
        return KycStatus.of(value == null ? "" : value.trim())
                .filter(s -> s != KycStatus.DRAFT)
                .map(KycStatus::value)
                .orElse(KycStatus.NONE.value());
    }
}
