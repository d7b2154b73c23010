using System.Reflection;
using System.Reflection.Emit;

namespace TinyAutograd.Tests.Api;

/// <summary>
/// Calls any method or constructor with boxed arguments, also those that take spans, pointers or <c>out</c>
/// parameters (which <see cref="MethodBase.Invoke(object, object[])"/> refuses): those get their default value.
/// Exceptions come out unwrapped.
/// </summary>
internal static class ReflectionInvoker
{
    public static object? Invoke(MethodBase member, object? instance, object?[] arguments)
    {
        var method = new DynamicMethod("call", typeof(object), [typeof(object), typeof(object[])], typeof(ReflectionInvoker).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        bool isConstructor = member is ConstructorInfo;
        if (!isConstructor && !member.IsStatic)
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(member.DeclaringType!.IsValueType ? OpCodes.Unbox : OpCodes.Castclass, member.DeclaringType!);
        }
        var parameters = member.GetParameters();
        for (int i = 0; i < parameters.Length; i++)
        {
            var type = parameters[i].ParameterType;
            if (type.IsByRef || type.IsByRefLike)
            {
                var local = il.DeclareLocal(type.IsByRef ? type.GetElementType()! : type);
                il.Emit(OpCodes.Ldloca, local);
                il.Emit(OpCodes.Initobj, local.LocalType);
                il.Emit(type.IsByRef ? OpCodes.Ldloca : OpCodes.Ldloc, local);
            }
            else if (type.IsPointer)
            {
                il.Emit(OpCodes.Ldc_I4_0);
                il.Emit(OpCodes.Conv_U);
            }
            else
            {
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Ldc_I4, i);
                il.Emit(OpCodes.Ldelem_Ref);
                il.Emit(OpCodes.Unbox_Any, type);
            }
        }
        Type returned;
        if (member is ConstructorInfo constructor)
        {
            il.Emit(OpCodes.Newobj, constructor);
            returned = constructor.DeclaringType!;
        }
        else
        {
            var callee = (MethodInfo)member;
            il.Emit(callee.IsVirtual && !callee.IsStatic ? OpCodes.Callvirt : OpCodes.Call, callee);
            returned = callee.ReturnType;
        }
        if (returned == typeof(void))
        {
            il.Emit(OpCodes.Ldnull);
        }
        else if (returned.IsByRef || returned.IsByRefLike || returned.IsPointer)
        {
            il.Emit(OpCodes.Pop);
            il.Emit(OpCodes.Ldnull);
        }
        else if (returned.IsValueType)
        {
            il.Emit(OpCodes.Box, returned);
        }
        il.Emit(OpCodes.Ret);
        var call = method.CreateDelegate<Func<object?, object?[], object?>>();
        return call(instance, arguments);
    }
}
